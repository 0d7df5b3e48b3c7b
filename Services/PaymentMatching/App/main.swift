// The `payment-matching` executable. Subcommands are added as the service is built (issue 8):
// `parse FILE [--format F]` prints a bank file as JSON without importing it.
import Foundation

let usage = """
    usage: payment-matching parse FILE [--format camt.052|camt.053|camt.054|mt940|cfonb120|csv]

    """
FileHandle.standardError.write(Data(usage.utf8))
exit(64) // EX_USAGE
