/// The camt element and attribute names the reader looks at, as ids of the tokenizer's
/// ``XMLNameTable``: the cases are spelled as in the XML, and a case's raw value is its id
/// because the reader passes ``spellings`` (in this order) when it creates the tokenizer. Cases
/// are capitalised like the elements so that the spelling is the case name.
enum CAMTName: Int32, CaseIterable {
    case Document, BkToCstmrStmt, BkToCstmrAcctRpt, BkToCstmrDbtCdtNtfctn, Stmt, Rpt, Ntfctn
    case Id, Acct, IBAN, Othr, Ccy, Svcr, FinInstnId, BIC, BICFI
    case Bal, Tp, CdOrPrtry, Cd, Amt, CdtDbtInd
    case Ntry, RvslInd, Sts, BookgDt, ValDt, Dt, DtTm, AcctSvcrRef, NtryRef
    case BkTxCd, Domn, Fmly, SubFmlyCd, Prtry
    case NtryDtls, TxDtls, Refs, EndToEndId, AmtDtls, TxAmt, RmtInf, Ustrd, Strd, CdtrRefInf, Ref
    case RltdPties, Dbtr, Cdtr, Pty, Nm, DbtrAcct, CdtrAcct, RltdAgts, DbtrAgt, CdtrAgt

    /// The names as written in documents, in id order.
    static let spellings: [String] = allCases.map { "\($0)" }

    /// The known name with `id`, nil for any other name.
    @inline(__always)
    static func known(_ id: Int32) -> CAMTName? { CAMTName(rawValue: id) }
}
