import Foundation
import MarqueeCore
import Testing

@testable import MarqueeStore

@Suite struct ConfigurationTests {
    private func folder(toml: String?) throws -> String {
        let folder = scratchDirectory()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if let toml {
            try toml.write(to: folder.appendingPathComponent("marquee.toml"), atomically: true, encoding: .utf8)
        }
        return folder.path
    }

    @Test func theEnvironmentBeatsTheFileWhichBeatsTheDefault() throws {
        let directory = try folder(toml: "store = \"file.sqlite\"\nrate = 0.5\ncontact = \"ops@example.org\"\n")
        var config = try MarqueeConfiguration.load(
            environment: ["MARQUEE_STORE": "env.sqlite"], directory: directory)
        #expect(config["store"] == "env.sqlite")
        #expect(config.values["store"]?.source == "environment MARQUEE_STORE")
        #expect(config.rate == 0.5)
        #expect(config.values["rate"]?.source == "\(directory)/marquee.toml:2")
        #expect(config.userAgent.hasSuffix(" (+ops@example.org)"))
        #expect(config["work"] == "out" && config.values["work"]?.source == "default")
        #expect(config.userSalt == nil)
        config.set("store", to: "flag.sqlite", source: "flag --store")
        #expect(config["store"] == "flag.sqlite")
    }

    @Test func anUnknownKeyIsNamedWithItsLine() throws {
        let directory = try folder(toml: "store = \"a\"\nstroe = \"b\"\n")
        let error = #expect(throws: MarqueeError.self) {
            try MarqueeConfiguration.load(environment: [:], directory: directory)
        }
        #expect(error?.code == .configuration)
        #expect(error?.location == "\(directory)/marquee.toml:2")
        #expect(error?.hint?.contains("store") == true)
    }

    @Test(arguments: ["rate = -1\n", "rate = \"fast\"\n", "log_format = \"xml\"\n", "store = [1]\n"])
    func aBadValueIsAConfigurationError(toml: String) throws {
        let directory = try folder(toml: toml)
        let error = #expect(throws: MarqueeError.self) {
            try MarqueeConfiguration.load(environment: [:], directory: directory)
        }
        #expect(error?.code == .configuration)
        #expect(error?.location?.hasPrefix("\(directory)/marquee.toml") == true)
    }
}

@Test func aBadValueFromTheEnvironmentNamesTheVariable() throws {
    let error = #expect(throws: MarqueeError.self) {
        try MarqueeConfiguration.load(environment: ["MARQUEE_RATE": "0"], directory: scratchDirectory().path)
    }
    #expect(error?.location == "environment MARQUEE_RATE")
}
