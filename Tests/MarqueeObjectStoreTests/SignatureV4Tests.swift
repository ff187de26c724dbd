import Foundation
import MarqueeCore
import Testing

@testable import MarqueeObjectStore

@Suite struct SignatureV4Tests {
    /// AWS's published example (S3 API reference, "Signature Calculations for the Authorization
    /// Header: Example GET Object"): the first 10 bytes of examplebucket/test.txt.
    @Test func awsGetObjectExample() {
        let signer = SignatureV4(
            credentials: AWSCredentials(
                accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                source: "test"),
            region: "us-east-1")
        let headers = signer.sign(
            method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/test.txt", query: [],
            headers: [("Range", "bytes=0-9")], payloadSHA256: SignatureV4.sha256(Data()),
            date: Date(timeIntervalSince1970: 1_369_353_600))
        let authorization = headers.first { $0.0 == "Authorization" }?.1
        #expect(
            authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
        #expect(headers.contains { $0 == ("x-amz-date", "20130524T000000Z") })
        #expect(!headers.contains { $0.1.contains("wJalrXUtnFEMI") })
    }

    @Test func encodingFollowsS3Rules() {
        #expect(SignatureV4.encodePath("/bucket/a b/ü+~.txt") == "/bucket/a%20b/%C3%BC%2B~.txt")
        #expect(SignatureV4.canonicalQuery([("uploadId", "a/b="), ("partNumber", "2"), ("uploads", "")])
            == "partNumber=2&uploadId=a%2Fb%3D&uploads=")
    }

    @Test func locationsParseAndRefuseBadBuckets() throws {
        let location = try S3Location(parsing: "s3://models/marquee/svd/")
        #expect(location.bucket == "models" && location.key == "marquee/svd")
        #expect(location.appending("manifest.json").description == "s3://models/marquee/svd/manifest.json")
        #expect(try S3Location(parsing: "s3://models").key == "")
        for bad in ["s3://Models/x", "s3://ab/x", "s3://-models/x", "s3://mo..dels/x", "gs://models/x"] {
            #expect(throws: MarqueeError.self, "\(bad)") { try S3Location(parsing: bad) }
        }
    }

    @Test func credentialsComeFromTheEnvironmentThenSharedFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let credentials = folder.appendingPathComponent("credentials")
        let config = folder.appendingPathComponent("config")
        try Data("[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n\n[ci]\naws_access_key_id=AKIDCI\naws_secret_access_key=s2\naws_session_token = tok\n".utf8)
            .write(to: credentials)
        try Data("[profile ci]\nregion = eu-west-3\n[profile other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = s3\n".utf8)
            .write(to: config)
        let files = ["AWS_SHARED_CREDENTIALS_FILE": credentials.path, "AWS_CONFIG_FILE": config.path, "HOME": folder.path]

        let fromEnvironment = try AWSCredentials.resolve(
            environment: files.merging(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s0"]) { $1 })
        #expect(fromEnvironment.accessKeyID == "AKIDENV" && fromEnvironment.source.contains("environment"))
        #expect(try AWSCredentials.resolve(environment: files).accessKeyID == "AKIDDEFAULT")
        let ci = try AWSCredentials.resolve(environment: files.merging(["AWS_PROFILE": "ci"]) { $1 })
        #expect(ci.accessKeyID == "AKIDCI" && ci.sessionToken == "tok" && ci.source.contains("profile ci"))
        #expect(!ci.description.contains("s2") && ci.description.contains("…IDCI"))
        #expect(try AWSCredentials.resolve(environment: files.merging(["AWS_PROFILE": "other"]) { $1 }).accessKeyID == "AKIDOTHER")
        #expect(AWSCredentials.region(environment: files.merging(["AWS_PROFILE": "ci"]) { $1 }) == "eu-west-3")
        #expect(AWSCredentials.region(environment: files.merging(["AWS_REGION": "ap-south-1"]) { $1 }) == "ap-south-1")

        let missing = #expect(throws: MarqueeError.self) {
            try AWSCredentials.resolve(environment: files.merging(["AWS_PROFILE": "nope"]) { $1 })
        }
        #expect(missing?.code == .configuration && missing?.message.contains("profile nope") == true)
        let half = #expect(throws: MarqueeError.self) {
            try AWSCredentials.resolve(environment: ["AWS_ACCESS_KEY_ID": "AKID", "HOME": folder.path])
        }
        #expect(half?.message.contains("AWS_SECRET_ACCESS_KEY") == true)
    }

    @Test func xmlScanReadsS3Documents() {
        let text =
            "<ListBucketResult><Contents><Key>a&amp;b.txt</Key><Size>3</Size></Contents><Contents><Key>c&#x2F;d</Key><Size>4</Size></Contents><IsTruncated>false</IsTruncated></ListBucketResult>"
        #expect(XMLScan.all("Contents", in: text).compactMap { XMLScan.first("Key", in: $0) } == ["a&b.txt", "c/d"])
        #expect(XMLScan.first("IsTruncated", in: text) == "false")
        #expect(XMLScan.first("Missing", in: text) == nil)
        #expect(XMLScan.decode("R&D &copy; &#233;") == "R&D &copy; é")
    }
}
