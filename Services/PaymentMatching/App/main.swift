// The `payment-matching` executable: `parse FILE [--format F]` prints a bank file as JSON
// without importing it, as it reads it. The command's logic is in the library (`ParseCommand`).
import Foundation
import PaymentMatching

let standardOutput = FileHandle.standardOutput
let (exitCode, problem) = ParseCommand.run(arguments: Array(CommandLine.arguments.dropFirst())) { standardOutput.write($0) }
if !problem.isEmpty { FileHandle.standardError.write(Data(problem.utf8)) }
exit(exitCode)
