using Checker.Cli;

return CheckerCommand.Run(args, Console.Out, Console.Error);
