import ArgumentParser
import KamaeWeb

/// The executable's entry point; the command tree lives in KamaeWeb so that tests can drive it.
@main
struct Kamae: AsyncParsableCommand {
    static let configuration = KamaeCommand.configuration
}
