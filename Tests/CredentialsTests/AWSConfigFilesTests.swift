import AWSClient
import Foundation
import Testing

extension CredentialsSuite {
    @Suite struct AWSConfigFilesTests {
        static let config = """
            # Cutover operators' shared config
            [default]
            region = eu-west-1
            endpoint_url = https://proxy.internal.example

            [profile ops]
            region=ap-northeast-1
            role_arn = arn:aws:iam::222222222222:role/CutoverTarget
            source_profile = base
            external_id = ext-123
            role_session_name = cutover-ops
            duration_seconds = 3600
            services = local-stack

            [profile  spaced]
            Region = us-east-2

            [services local-stack]
            s3 =
              endpoint_url = http://127.0.0.1:4566
              addressing_style = path
            sts =
              endpoint_url = http://127.0.0.1:4567

            [notaprofile]
            region = never-read
            """

        static let credentials = """
            [base]
            aws_access_key_id = AKIABASE000000000001
            aws_secret_access_key = \(Secret.fileSecret)

            [default]
            ; the credentials file wins over the config file
            region = us-west-2
            """

        func files() throws -> AWSConfigFiles {
            try AWSConfigFiles(
                config: Self.config, configFilePath: "/home/ops/.aws/config", credentials: Self.credentials,
                credentialsFilePath: "/home/ops/.aws/credentials")
        }

        @Test func parsesProfilesFromBothFilesWithCredentialsFileWinning() throws {
            let files = try files()
            #expect(files.profileNames == ["base", "default", "ops", "spaced"])
            #expect(files.region(profile: "default") == "us-west-2")
            #expect(files.region(profile: "ops") == "ap-northeast-1")
            #expect(files.region(profile: "spaced") == "us-east-2", "keys are lower-cased; 'profile  NAME' tolerates extra spaces")
            let ops = try #require(files.profile(named: "ops"))
            #expect(ops["role_arn"] == "arn:aws:iam::222222222222:role/CutoverTarget")
            #expect(ops["external_id"] == "ext-123")
            #expect(ops.locations == ["/home/ops/.aws/config:6"])
            #expect(files.profile(named: "base")?["aws_access_key_id"] == "AKIABASE000000000001")
            #expect(files.profile(named: "notaprofile") == nil, "a bare [name] in the config file is not a profile")
        }

        @Test func endpointSettingsComeFromProfileAndItsServicesSection() throws {
            let files = try files()
            #expect(files.endpointSettings(profile: "default") == ProfileEndpointSettings(global: "https://proxy.internal.example"))
            #expect(
                files.endpointSettings(profile: "ops")
                    == ProfileEndpointSettings(services: ["s3": "http://127.0.0.1:4566", "sts": "http://127.0.0.1:4567"]))
            #expect(files.endpointSettings(profile: "missing") == .none)
        }

        @Test func profileDefaultHeaderOutranksBareDefault() throws {
            let files = try AWSConfigFiles(config: "[default]\nregion = a\n[profile default]\nregion = b\n", credentials: nil)
            #expect(files.region(profile: "default") == "b")
        }

        @Test func nestedSubPropertiesAreKeptOnProfiles() throws {
            let files = try AWSConfigFiles(config: "[default]\ns3 =\n  addressing_style = path\n", credentials: nil)
            #expect(files.profile(named: "default")?.nested["s3"] == ["addressing_style": "path"])
        }

        @Test func ignoreConfiguredEndpointURLsInProfileDropsThem() throws {
            let files = try AWSConfigFiles(
                config: "[default]\nendpoint_url = http://x\nignore_configured_endpoint_urls = true\n", credentials: nil)
            #expect(files.endpointSettings(profile: "default") == .none)
        }

        @Test func propertyBeforeAnySectionNamesFileAndLine() throws {
            let error = try #require(throws: CredentialsError.self) {
                try AWSConfigFiles(config: "\n# comment\nregion = eu-west-1\n", configFilePath: "/etc/cutover/aws-config", credentials: nil)
            }
            #expect(error.code == .configFileSyntax)
            #expect(error.message.hasPrefix("/etc/cutover/aws-config:3: "))
        }

        @Test func malformedLineInCredentialsFileNamesLineWithoutQuotingIt() throws {
            let text = "[default]\naws_access_key_id = AKIAX\n\(Secret.fileSecret)\n"
            let error = try #require(throws: CredentialsError.self) {
                try AWSConfigFiles(config: nil, credentials: text, credentialsFilePath: "/home/ops/.aws/credentials")
            }
            #expect(error.code == .configFileSyntax)
            #expect(error.message.hasPrefix("/home/ops/.aws/credentials:3: "))
            #expect(!leaksSecret(error.description))
        }

        @Test func duplicateSectionAndDuplicateKeyAreErrorsWithBothLines() throws {
            let duplicateSection = try #require(throws: CredentialsError.self) {
                try AWSConfigFiles(config: "[default]\nregion = a\n\n[default]\nregion = b\n", configFilePath: "cfg", credentials: nil)
            }
            #expect(duplicateSection.message == "cfg:4: section [default] already appears on line 1; merge the two")
            let duplicateKey = try #require(throws: CredentialsError.self) {
                try AWSConfigFiles(config: "[default]\nregion = a\nREGION = b\n", configFilePath: "cfg", credentials: nil)
            }
            #expect(duplicateKey.message.hasPrefix("cfg:3: 'region' is already set on line 2"))
        }

        @Test func unclosedSectionHeaderNamesLine() throws {
            let error = try #require(throws: CredentialsError.self) {
                try AWSConfigFiles(config: "[default]\nregion = a\n[profile ops\n", configFilePath: "cfg", credentials: nil)
            }
            #expect(error.message.hasPrefix("cfg:3: "))
        }

        @Test func loadHonoursConfigAndCredentialsFileVariablesAndProfileSelection() throws {
            let dir = try ScratchDirectory()
            let config = try dir.write("cfg", "[profile blue]\nregion = eu-central-1\n")
            let credentials = try dir.write("creds", "[blue]\naws_access_key_id = AKIABLUE\naws_secret_access_key = \(Secret.fileSecret)\n")
            let environment = ["AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": credentials, "AWS_PROFILE": "blue"]
            let files = try AWSConfigFiles.load(environment: environment)
            #expect(files.configFilePath == config)
            #expect(AWSConfigFiles.selectedProfileName(environment: environment) == "blue")
            #expect(files.profile(named: "blue")?["aws_access_key_id"] == "AKIABLUE")
            #expect(files.region(profile: "blue") == "eu-central-1")
        }

        @Test func loadUsesHomeWhenNoFileVariablesAndToleratesMissingFiles() throws {
            let dir = try ScratchDirectory()
            try FileManager.default.createDirectory(atPath: dir.path + "/.aws", withIntermediateDirectories: true)
            try dir.write(".aws/config", "[default]\nregion = sa-east-1\n")
            let files = try AWSConfigFiles.load(environment: ["HOME": dir.path])
            #expect(files.configFilePath == dir.path + "/.aws/config")
            #expect(files.credentialsFileExists == false)
            #expect(files.region(profile: "default") == "sa-east-1")
            #expect(AWSConfigFiles.selectedProfileName(environment: [:]) == "default")
        }
    }
}
