using System.CommandLine;

namespace Checker.Cli;

/// <summary><c>checker completion bash|zsh|fish</c>: prints a completion script for the shell, generated from the
/// command tree (<see cref="CompletionScripts"/>): static, so it needs no helper program at completion time.</summary>
public static class CompletionCommand
{
    public static readonly string[] Shells = ["bash", "zsh", "fish"];

    public static Command Build(CliContext ctx, RootCommand root)
    {
        var shell = CliOptions.With(new Argument<string>("SHELL")
        {
            Description = "the shell: 'source <(checker completion bash)' in ~/.bashrc, 'source <(checker completion zsh)' in ~/.zshrc, "
                + "'checker completion fish | source' in fish's config",
            HelpName = "bash|zsh|fish",
            Arity = ArgumentArity.ZeroOrOne,
        }, new OptionInfo("word", Values: Shells));
        shell.CompletionSources.Add(Shells);
        var command = new Command("completion", "print a shell completion script for checker's commands, options and their values")
        {
            shell,
        };
        command.SetAction(parse =>
        {
            string? name = parse.GetValue(shell);
            if (name is null || Array.IndexOf(Shells, name) < 0)
            {
                ctx.Error.WriteLine(name is null
                    ? "checker completion: error: no shell given — usage: checker completion bash|zsh|fish"
                    : $"checker completion: error: unknown shell '{name}' — {CheckerCommand.Nearest(name, Shells)}use bash, zsh or fish");
                return ExitCodes.BadInput;
            }
            ctx.Output.Write(name switch
            {
                "bash" => CompletionScripts.Bash(root),
                "zsh" => CompletionScripts.Zsh(root),
                _ => CompletionScripts.Fish(root),
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
