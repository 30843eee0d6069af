using System.Text;
using System.Text.Json;
using Harmony.Core.Envelopes;

namespace Harmony.Tests.Core;

/// <summary>
/// RFC 8785 canonical JSON and envelope signatures against vectors computed independently, with Node.js: its own
/// JSON.stringify, its default (UTF-16 code unit) key sort and its crypto HMAC, under the secret "test-envelope-secret".
/// </summary>
public sealed class CanonicalJsonTests
{
    public static TheoryData<string, string, string> Vectors => new()
    {
        {
            """{"big":1e21,"small":1e-7,"negzero":-0,"one":1.0,"frac":0.1,"sum":0.30000000000000004,"int":123456789012,"exp":1.5e300,"tiny":5e-324,"neg":-2.5e-6,"max":9007199254740993}""",
            """{"big":1e+21,"exp":1.5e+300,"frac":0.1,"int":123456789012,"max":9007199254740992,"neg":-0.0000025,"negzero":0,"one":1,"small":1e-7,"sum":0.30000000000000004,"tiny":5e-324}""",
            "qpMxejSESm_rQ4eec2ZeSXDJX46bzJuJSlDJXGki1S8"
        },
        {
            "{\"é\":\"café\",\"😀\":\"\\ud83d\\ude00 emoji\",\"a\\u0000b\":\"ctl\\u0001\\u001f\\u007f\",\"quote\":\"\\\"\\\\/\",\"z\":\"\\u2028\\u2029\"}",
            "{\"a\\u0000b\":\"ctl\\u0001\\u001f\u007f\",\"quote\":\"\\\"\\\\/\",\"z\":\"\u2028\u2029\",\"é\":\"café\",\"😀\":\"😀 emoji\"}",
            "odLNbcyPyHi0_O_B_qv-hp3myBsf5oXB3UkCmX0hqOw"
        },
        {
            // U+1F600 (surrogates D83D DE00) sorts before U+FF61 by UTF-16 code units, though not by code point.
            """{"b":1,"a":{"d":[3,{"z":1,"y":2}],"c":null},"A":true,"_":false,"10":"x","9":"y","\u00e9":1,"e":2,"\ud83d\ude00":3,"\uff61":4}""",
            "{\"10\":\"x\",\"9\":\"y\",\"A\":true,\"_\":false,\"a\":{\"c\":null,\"d\":[3,{\"y\":2,\"z\":1}]},\"b\":1,\"e\":2,\"é\":1,\"😀\":3,\"｡\":4}",
            "S-PUX9vzJWfFEkatK73yLfYWImIHNoPpjGPYwZ04rP0"
        },
        {
            """{"initiatorId":"agent:deployer","roles":["harmony:probe","harmony:deploy"],"appId":"checkout","environment":"prod","traceId":"0af7651916cd43dd8448eb211c80319c","exp":1767225600,"iat":1767222000,"nonce":"n-1","aud":"harmony"}""",
            """{"appId":"checkout","aud":"harmony","environment":"prod","exp":1767225600,"iat":1767222000,"initiatorId":"agent:deployer","nonce":"n-1","roles":["harmony:probe","harmony:deploy"],"traceId":"0af7651916cd43dd8448eb211c80319c"}""",
            "QDwBe1Z70zGelhNanzS8oSYHMeux5J7dOjN-l6TQByE"
        },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Serialize_IndependentVector_MatchesByteForByte(string input, string canonical, string signature)
    {
        var parsed = JsonDocument.Parse(input).RootElement;

        var bytes = CanonicalJson.Serialize(parsed);

        Assert.Equal(Encoding.UTF8.GetBytes(canonical), bytes);
        Assert.Equal(signature, new EnvelopeVerifier("test-envelope-secret").Sign(parsed));
    }

    [Theory]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(-0.0, "0")]
    [InlineData(123.456, "123.456")]
    [InlineData(-1.7976931348623157e308, "-1.7976931348623157e+308")]
    [InlineData(4.35, "4.35")]
    [InlineData(0.000001234, "0.000001234")]
    [InlineData(333333333.33333329, "333333333.3333333")]
    public void FormatNumber_WritesWhatEcmaScriptWrites(double value, string expected) =>
        Assert.Equal(expected, CanonicalJson.FormatNumber(value));

    [Fact]
    public void Serialize_LoneSurrogate_IsEscapedLowercase()
    {
        var parsed = JsonDocument.Parse("\"a\\ud800b\"").RootElement;

        Assert.Equal("\"a\\ud800b\"", CanonicalJson.SerializeToString(parsed));
    }
}
