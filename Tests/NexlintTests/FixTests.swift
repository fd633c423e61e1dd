import Foundation
import Testing

@Suite(.serialized) struct FixTests {
    private let token = #"exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token""#

    @Test func safeFixesChangeOnlyTheirAttributesAndConverge() throws {
        let before = "\u{FEFF}<Environment \(token)>\r\n"
            + "  <ChannelConnections>\r\n"
            + "    <!-- keep me -->\r\n"
            + "    <HTTPConnection channel='A' url='http://outlook.office365.com/ews/x.wsdl' authentication='custom'\r\n"
            + "        user='0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc@contoso.com'\r\n"
            + "        password='master:AAEC'/>\r\n"
            + "    <HTTPConnection channel=\"B\" url=\"https://outlook.office365.com/EWS/Exchange.asmx\" secure=\"false\" authentication=\"custom\" authComponent=\"x\" user=\"0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc@contoso.com\" password=\"master:AAEC\"/>\r\n"
            + "  </ChannelConnections>\r\n"
            + "</Environment>\r\n"
        let after = "\u{FEFF}<Environment \(token)>\r\n"
            + "  <ChannelConnections>\r\n"
            + "    <!-- keep me -->\r\n"
            + "    <HTTPConnection channel='A' url='https://outlook.office365.com/EWS/Exchange.asmx' authentication='custom'\r\n"
            + "        user='0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc@contoso.com'\r\n"
            + "        password='master:AAEC'\r\n"
            + "        authComponent='rpc:System.Authentication.EXO'\r\n"
            + "        secure='true'/>\r\n"
            + "    <HTTPConnection channel=\"B\" url=\"https://outlook.office365.com/EWS/Exchange.asmx\" secure=\"true\" authentication=\"custom\" authComponent=\"rpc:System.Authentication.EXO\" user=\"0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc@contoso.com\" password=\"master:AAEC\"/>\r\n"
            + "  </ChannelConnections>\r\n"
            + "</Environment>\r\n"
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("crm.environment")
        try write(before, to: file)
        let run = try Run(["lint", "--fix", "--select", "EXO001,EXO002,EXO003", "."], in: directory)
        #expect(run.status == 0)
        #expect(run.output == "No findings in 1 file.\n")
        #expect(run.errors == "nexlint: fixed crm.environment: EXO001, EXO002, EXO003\nnexlint: fixed 5 findings in 1 file\n")
        #expect(String(decoding: try Data(contentsOf: file), as: UTF8.self) == after)
        let again = try Run(["lint", "--fix", "--ignore", "EXO013", "."], in: directory)
        #expect(again.errors.isEmpty)
        #expect(String(decoding: try Data(contentsOf: file), as: UTF8.self) == after)
    }

    @Test func valuesFromPropertiesAndUnsafeProblemsAreNotFixed() throws {
        let text = "<Environment \(token) tls=\"false\">\n  <ChannelConnections>\n"
            + "    <HTTPConnection channel=\"A\" url=\"https://mail.contoso.com/EWS/Exchange.asmx\" secure=\"${tls}\" authentication=\"custom\" authComponent=\"rpc:System.Authentication.EXO\" user=\"0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc@contoso.com\" password=\"master:AAEC\"/>\n"
            + "  </ChannelConnections>\n</Environment>\n"
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write(text, to: directory.appendingPathComponent("crm.environment"))
        let json = try Run(["lint", "--format", "json", "--select", "EXO002,EXO003", "."], in: directory)
        #expect(json.findings.map { $0["rule"] as! String } == ["EXO002", "EXO003"])
        #expect(json.findings.allSatisfy { $0["fixable"] as? Bool == false })
        let run = try Run(["lint", "--fix", "--select", "EXO002,EXO003", "."], in: directory)
        #expect(run.status == 1)
        #expect(run.errors.isEmpty)
        #expect(String(decoding: try Data(contentsOf: directory.appendingPathComponent("crm.environment")), as: UTF8.self) == text)
    }

    @Test func filesNotInUTF8AreNeverFixed() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        let text = "<Environment \(token)><ChannelConnections><HTTPConnection channel=\"A\" url=\"https://outlook.office365.com/EWS/Exchange.asmx\" authentication=\"custom\" authComponent=\"rpc:System.Authentication.EXO\" user=\"0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc@contoso.com\" password=\"master:AAEC\"/></ChannelConnections></Environment>"
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("wide.environment")
        try Data(bytes).write(to: file)
        let run = try Run(["lint", "--fix", "--format", "json", "--select", "EXO002", "."], in: directory)
        #expect(run.findings.map { $0["fixable"] as? Bool } == [false])
        #expect(try Data(contentsOf: file) == Data(bytes))
    }
}
