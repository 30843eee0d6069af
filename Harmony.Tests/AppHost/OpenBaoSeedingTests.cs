using System.Net;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Harmony.AppHost.OpenBao;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Harmony.Tests.AppHost;

/// <summary>How the AppHost writes the demo secrets into OpenBao's KV v2, checked at the wire against a recording handler.</summary>
public sealed class OpenBaoSeedingTests
{
    private static readonly OpenBaoSecret[] Secrets =
    [
        Secret("demo/greeting", ReferenceExpression.Create($"hello")),
        Secret("postgres/demo", ReferenceExpression.Create($"postgresql://u:p@h:1/postgres")),
    ];

    [Fact]
    public async Task WriteSecretsAsync_OpenBaoAccepts_PostsEachSecretToKvV2DataPath()
    {
        var handler = new RecordingHandler(HttpStatusCode.OK);
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://openbao.test:8200") };
        http.DefaultRequestHeaders.Add("X-Vault-Token", "root-token");

        var written = await OpenBaoResourceBuilderExtensions.WriteSecretsAsync(
            http, "secret", Secrets, new FakeLogger(), TestContext.Current.CancellationToken);

        Assert.Equal(2, written);
        Assert.Equal(
            ["http://openbao.test:8200/v1/secret/data/demo/greeting", "http://openbao.test:8200/v1/secret/data/postgres/demo"],
            handler.Requests.Select(r => r.Uri));
        Assert.All(handler.Requests, r => Assert.Equal(HttpMethod.Post, r.Method));
        Assert.All(handler.Requests, r => Assert.Equal("root-token", r.Token));
        using var body = JsonDocument.Parse(handler.Requests[0].Body);
        Assert.Equal("hello", body.RootElement.GetProperty("data").GetProperty("value").GetString());
    }

    [Fact]
    public async Task WriteSecretsAsync_Any_LogsPathsNeverValues()
    {
        var logger = new FakeLogger();
        using var http = new HttpClient(new RecordingHandler(HttpStatusCode.OK)) { BaseAddress = new Uri("http://openbao.test:8200") };

        await OpenBaoResourceBuilderExtensions.WriteSecretsAsync(http, "secret", Secrets, logger, TestContext.Current.CancellationToken);

        var messages = logger.Collector.GetSnapshot().Select(r => r.Message).ToList();
        Assert.Contains("Wrote the demo secret secret/postgres/demo.", messages);
        Assert.DoesNotContain(messages, m => m.Contains("postgresql://", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Contains("hello", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteSecretsAsync_OpenBaoRefuses_LogsErrorAndCountsNothing()
    {
        var logger = new FakeLogger();
        using var http = new HttpClient(new RecordingHandler(HttpStatusCode.Forbidden)) { BaseAddress = new Uri("http://openbao.test:8200") };

        var written = await OpenBaoResourceBuilderExtensions.WriteSecretsAsync(
            http, "secret", Secrets, logger, TestContext.Current.CancellationToken);

        Assert.Equal(0, written);
        Assert.Equal(2, logger.Collector.GetSnapshot().Count(r => r.Level == LogLevel.Error));
    }

    [Fact]
    public async Task WriteSecretsAsync_OpenBaoTooSlowForOneSecret_LogsItAndWritesTheRest()
    {
        var logger = new FakeLogger();
        using var http = new HttpClient(new TimingOutOnceHandler()) { BaseAddress = new Uri("http://openbao.test:8200") };

        var written = await OpenBaoResourceBuilderExtensions.WriteSecretsAsync(
            http, "secret", Secrets, logger, TestContext.Current.CancellationToken);

        Assert.Equal(1, written);
        var error = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Equal("Could not write the demo secret secret/demo/greeting: OpenBao did not answer in time.", error.Message);
    }

    [Fact]
    public void DemoSecrets_Values_AreMarkedAsDemo()
    {
        var postgres = new PostgresServerResource("postgres", null, new ParameterResource("postgres-password", _ => "pw", secret: true));

        var secrets = DemoSecrets.For(postgres);

        string Value(string path) => secrets.Single(s => s.Path == path).Data["value"].ValueExpression;
        Assert.Contains("demo value", Value("demo/greeting"), StringComparison.Ordinal);
        Assert.Contains("placeholder", Value("github/release-bot"), StringComparison.Ordinal);
    }

    private static OpenBaoSecret Secret(string path, ReferenceExpression value) =>
        new(path, new Dictionary<string, ReferenceExpression> { ["value"] = value });

    /// <summary>Fails the first request the way HttpClient reports its own timeout, then answers 200.</summary>
    private sealed class TimingOutOnceHandler : HttpMessageHandler
    {
        private int _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _requests) == 1
                ? throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.")
                : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
    }

    private sealed class RecordingHandler(HttpStatusCode status) : HttpMessageHandler
    {
        public List<(HttpMethod Method, string Uri, string? Token, string Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var token = request.Headers.TryGetValues("X-Vault-Token", out var values) ? values.Single() : null;
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Add((request.Method, request.RequestUri!.ToString(), token, body));
            return new HttpResponseMessage(status) { Content = new StringContent("{}") };
        }
    }
}
