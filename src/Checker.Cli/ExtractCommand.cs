using System.CommandLine;
using System.Diagnostics;
using Checker.Extract;

namespace Checker.Cli;

/// <summary>
/// <c>checker extract --src DIR [--config FILE] --root FUNC [--through FUNC] [--depth N] [--skip REGEX]
/// [--thread NAME] [--arch x86|arm64] [-o FILE]</c> and <c>checker extract --audit --src DIR</c> (issue 17): a
/// draft ordering from kernel C source, or the table of the notifier API's callers. The work is in the
/// Checker.Extract project; this is the command line around it.
/// </summary>
public static class ExtractCommand
{
    public static Command Build(CliContext ctx)
    {
        var src = CliOptions.Input("--src", "DIR", "directory", null, "the kernel source tree (or a directory of C files)");
        var config = CliOptions.Input("--config", "FILE", "file", null, "a kernel .config to evaluate #if against (unset CONFIG_ options are off; without it, all are)");
        var root = new Option<string?>("--root") { Description = "the function the draft starts from (a syscall as sys_NAME)", HelpName = "FUNC" };
        var through = new Option<string?>("--through") { Description = "follow only callees that lead to FUNC (then everything under it)", HelpName = "FUNC" };
        var depth = CliOptions.Integer("--depth", "N", 8, 0, 32, "how many levels of callees to follow", "levels of callees followed");
        var skip = new Option<string?>("--skip") { Description = "a regular expression: callees and branch conditions it matches are not followed (e.g. 'huge|uffd')", HelpName = "REGEX" };
        var thread = new Option<string?>("--thread") { Description = "the draft thread's name (default: the root's)", HelpName = "NAME" };
        var arch = CliOptions.Choice("--arch", [("x86", "x86"), ("arm64", "arm64")], "x86", "the arch whose headers and overrides are read", "arches are x86 and arm64");
        var output = CliOptions.OutputFile("-o", "FILE", "write the draft (or the audit) to FILE instead of standard output", "draft.order");
        var audit = CliOptions.Flag("--audit", "instead of a draft: every function in mm/ and kernel/ that calls the notifier or secondary-invalidation API, and each only_end site's nearest CPU flush");
        var command = new Command("extract", "draft an ordering from kernel C source, or audit a tree's notifier calls")
        {
            src, config, root, through, depth, skip, thread, arch, output, audit,
        };
        command.SetAction(parse => Run(parse.GetValue(src), parse.GetValue(config), parse.GetValue(root), parse.GetValue(through), (int)parse.GetValue(depth),
            parse.GetValue(skip), parse.GetValue(thread), parse.GetValue(arch) ?? "x86", parse.GetValue(output), parse.GetValue(audit), ctx.Output, ctx.Error));
        return command;
    }

    private static int Run(string? src, string? configPath, string? root, string? through, int depth, string? skip, string? thread, string arch,
        string? output, bool audit, TextWriter stdout, TextWriter error)
    {
        if (src is null)
        {
            error.WriteLine("checker extract: error: no source tree — give --src DIR (e.g. an unpacked linux-source-6.12)");
            return ExitCodes.BadInput;
        }
        if (!Directory.Exists(src))
        {
            error.WriteLine($"checker extract: error: '{src}' is not a directory — give --src the top of a kernel tree");
            return ExitCodes.BadInput;
        }
        if (!audit && root is null)
        {
            error.WriteLine("checker extract: error: no root function — give --root FUNC (e.g. --root dup_mmap), or --audit");
            return ExitCodes.BadInput;
        }
        if (configPath is not null && !File.Exists(configPath))
        {
            error.WriteLine($"checker extract: error: config '{configPath}' not found — give a kernel .config (Debian: linux-config-*)");
            return ExitCodes.BadInput;
        }
        if (skip is not null)
        {
            try { _ = new System.Text.RegularExpressions.Regex(skip); }
            catch (ArgumentException e)
            {
                error.WriteLine($"checker extract: error: --skip '{skip}' is not a regular expression ({e.Message}) — e.g. 'huge|uffd'");
                return ExitCodes.BadInput;
            }
        }
        var clock = Stopwatch.StartNew();
        var config = configPath is null ? KernelConfig.Empty : KernelConfig.Load(configPath);
        var index = SourceIndex.Build(src, config, arch, allOfKernel: audit);
        var version = TreeVersion.Read(src);
        string text;
        if (audit) text = Audit.Render(index, version);
        else
        {
            if (index.Function(root!) is null)
            {
                error.WriteLine($"checker extract: error: function '{root}' is not defined in {src} — a syscall is sys_NAME (sys_mremap)");
                return ExitCodes.BadInput;
            }
            if (through is not null && index.Function(through) is null && index.Macro(through) is null)
            {
                error.WriteLine($"checker extract: error: --through '{through}' is not defined in {src} — give a function the root calls");
                return ExitCodes.BadInput;
            }
            var draft = new DraftExtractor(index, new ExtractOptions(root!, through, depth, skip, thread, arch)).Extract(version, src);
            text = draft.Text;
        }
        if (output is null) stdout.Write(text);
        else
        {
            AtomicFile.Write(output, text);
            stdout.WriteLine($"checker extract: wrote {output} ({index.FileCount} files read, {clock.Elapsed.TotalSeconds:0.00} s)");
        }
        return ExitCodes.Ok;
    }
}
