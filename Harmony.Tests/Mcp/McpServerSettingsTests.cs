using Harmony.Core.Configuration;
using Harmony.Core.Contexts;
using Harmony.Mcp.Configuration;
using Microsoft.Extensions.Configuration;

namespace Harmony.Tests.Mcp;

/// <summary>The knobs of DESIGN.md: defaults, parsing, and the values that stop the server at start.</summary>
public sealed class McpServerSettingsTests
{
    [Fact]
    public void Read_NothingSet_UsesTheDocumentedDefaults()
    {
        var settings = McpServerSettingsReader.Read(Configuration());

        Assert.Equal("localhost:7233", settings.TemporalAddress);
        Assert.Equal("default", settings.TemporalNamespace);
        Assert.Equal("golden-tools", settings.TaskQueue);
        Assert.Equal("http://localhost:8233", settings.TemporalUiUrl);
        Assert.Equal("mcp:anonymous", settings.InitiatorId);
        Assert.Empty(settings.Roles);
        Assert.Equal(string.Empty, settings.TokenRef);
        Assert.Equal("golden-mcp-server", settings.AppId);
        Assert.Equal("local", settings.Environment);
        Assert.Null(settings.CostCenter);
        Assert.Null(settings.DataClassification);
        Assert.Null(settings.EnvelopeSecret);
        Assert.False(settings.RequireEnvelope);
        Assert.Equal(CapabilityBehavior.Await, settings.CapabilityBehavior);
        Assert.Equal(TimeSpan.FromMilliseconds(5000), settings.AwaitTimeout);
        Assert.Null(settings.AuthAuthority);
        Assert.True(settings.HttpStateless);
    }

    [Fact]
    public void Read_EverythingSet_ParsesEachKnob()
    {
        var settings = McpServerSettingsReader.Read(Configuration(
            ("TEMPORAL_ADDRESS", "temporal:7233"), ("MCP_ROLES", " a, b ,,c "), ("MCP_DATA_CLASSIFICATION", "CONFIDENTIAL"),
            ("MCP_ENVELOPE_HMAC_SECRET", "  s3cret \n"), ("MCP_REQUIRE_ENVELOPE", "TRUE"), ("MCP_CAPABILITY_BEHAVIOR", "Start"),
            ("MCP_CAPABILITY_AWAIT_TIMEOUT_MS", "250"), ("MCP_COST_CENTER", "cc-1"), ("MCP_HTTP_STATELESS", " FALSE ")));

        Assert.Equal("temporal:7233", settings.TemporalAddress);
        Assert.Equal(["a", "b", "c"], settings.Roles);
        Assert.Equal(DataClassification.Confidential, settings.DataClassification);
        Assert.Equal("s3cret", settings.EnvelopeSecret);
        Assert.True(settings.RequireEnvelope);
        Assert.Equal(CapabilityBehavior.Start, settings.CapabilityBehavior);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.AwaitTimeout);
        Assert.Equal("cc-1", settings.CostCenter);
        Assert.False(settings.HttpStateless);
    }

    [Fact]
    public void Read_RolesAsAnAppsettingsArray_AreTheRoles()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream("""{ "MCP_ROLES": ["harmony:probe", " harmony:github "] }"""u8.ToArray()))
            .Build();

        var settings = McpServerSettingsReader.Read(configuration);

        Assert.Equal(["harmony:probe", "harmony:github"], settings.Roles);
    }

    [Theory]
    [InlineData("MCP_REQUIRE_ENVELOPE", "true", "MCP_ENVELOPE_HMAC_SECRET is not set")]
    [InlineData("MCP_REQUIRE_ENVELOPE", "maybe", "MCP_REQUIRE_ENVELOPE 'maybe' is not true or false")]
    [InlineData("MCP_HTTP_STATELESS", "sometimes", "MCP_HTTP_STATELESS 'sometimes' is not true or false")]
    [InlineData("MCP_CAPABILITY_BEHAVIOR", "fire-and-forget", "MCP_CAPABILITY_BEHAVIOR 'fire-and-forget'")]
    [InlineData("MCP_CAPABILITY_AWAIT_TIMEOUT_MS", "-5", "MCP_CAPABILITY_AWAIT_TIMEOUT_MS '-5'")]
    [InlineData("MCP_DATA_CLASSIFICATION", "secret", "MCP_DATA_CLASSIFICATION 'secret'")]
    [InlineData("Harmony:Auth:Authority", "https://kc/realms/harmony", "Harmony:Auth:Audience is not")]
    [InlineData("TEMPORAL_ADDRESS", "http://temporal:7233", "TEMPORAL_ADDRESS 'http://temporal:7233' is a URL")]
    public void Read_WrongValue_StopsWithMessageNamingTheKnob(string key, string value, string expected)
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => McpServerSettingsReader.Read(Configuration((key, value))));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
