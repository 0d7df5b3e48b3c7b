// The `payment-matching` executable: `parse FILE [--format F]` prints a bank file as JSON
// without importing it. The command's logic is in the library (`ParseCommand`).
import Foundation
import PaymentMatching

let outcome = ParseCommand.run(arguments: Array(CommandLine.arguments.dropFirst()))
FileHandle.standardOutput.write(outcome.standardOutput)
if !outcome.standardError.isEmpty { FileHandle.standardError.write(Data(outcome.standardError.utf8)) }
exit(outcome.exitCode)
