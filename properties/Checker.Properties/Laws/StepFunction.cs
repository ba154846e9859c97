using Checker.Model;

namespace Checker.Properties.Laws;

/// <summary>How a law takes one step of the model: <see cref="Steps.Real"/> is the machine's own; a companion test
/// passes a deliberately broken variant (a bug planted around the step, never inside the engine).</summary>
internal delegate uint StepFunction(Machine machine, Choice choice);
