namespace Harmony.Tests.Worker;

/// <summary>
/// A stand-in for the dagger CLI: a POSIX shell script that records the arguments of every launch, announces the
/// given port as its session the way <c>dagger session</c> does, then lives until its standard input is closed; or,
/// broken, one that fails before it announces anything.
/// </summary>
internal sealed class FakeDaggerCli : IDisposable
{
    private readonly DirectoryInfo _directory;

    private FakeDaggerCli(DirectoryInfo directory) => _directory = directory;

    public string Path => System.IO.Path.Combine(_directory.FullName, "dagger");

    /// <summary>The arguments of each launch so far, one line per launch.</summary>
    public IReadOnlyList<string> Launches =>
        File.Exists(LaunchesFile) ? File.ReadAllLines(LaunchesFile) : [];

    /// <summary>Whether a session ended because its standard input was closed.</summary>
    public bool Ended => File.Exists(EndedFile);

    private string LaunchesFile => System.IO.Path.Combine(_directory.FullName, "launches");

    private string EndedFile => System.IO.Path.Combine(_directory.FullName, "ended");

    public static Task<FakeDaggerCli> CreateAsync(int port, string token) => CreateAsync(cli => $$"""
        #!/bin/sh
        echo "$@" >> '{{cli.LaunchesFile}}'
        echo 'starting engine' >&2
        printf '{"port":%d,"session_token":"%s"}\n' {{port}} '{{token}}'
        cat > /dev/null
        echo ended > '{{cli.EndedFile}}'
        """);

    /// <summary>A CLI that cannot start a session: it says so on stderr and exits 1 without a session line.</summary>
    public static Task<FakeDaggerCli> CreateBrokenAsync() =>
        CreateAsync(_ => "#!/bin/sh\necho 'no engine here' >&2\nexit 1\n");

    private static async Task<FakeDaggerCli> CreateAsync(Func<FakeDaggerCli, string> script)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "The stand-in dagger CLI is a POSIX shell script.");
        var cli = new FakeDaggerCli(Directory.CreateTempSubdirectory("harmony-dagger-cli-"));
        await File.WriteAllTextAsync(cli.Path, script(cli).ReplaceLineEndings("\n"), TestContext.Current.CancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(cli.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return cli;
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
