using Checker.Exploration;
using Checker.Generators;
using Checker.Model;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Properties.Laws;

/// <summary>
/// Law 10: the allocator never hands a frame back to the mm. A frame's owner only ever moves forward —
/// this mm, then free, then another owner (DESIGN §3.6 rule 2: pte_install takes fresh frames) — so a frame
/// the allocator reused stays another's.
/// </summary>
public class AllocatorLaws(ITestOutputHelper output)
{
    private static readonly OrderingShape Freeing = new() { AlwaysReuse = true, Emphasis = ["put_page", "pte_clear", "pte_install", "zap_pte_range"] };

    internal static Property FramesNeverComeBack(StepFunction step) =>
        Prop.ForAll(OrderingGen.Arbitrary(Freeing), Arb.From(Gen.Choose(0, int.MaxValue)), (ordering, seed) =>
        {
            var program = CompiledOrdering.Compile(ordering);
            var machine = new Machine(program);
            var s = machine.State;
            var before = new int[s.MaxFrames];
            int reused = 0;
            string? failure = null;
            foreach (var schedule in Steps.Sampled(program, seed, 20, 6))
            {
                machine.Reset(Executor.UnlimitedBudget);
                for (int k = 0; k < schedule.Count && failure is null; k++)
                {
                    if (!machine.CanStep(schedule.Steps[k])) break;
                    int allocated = s.I[s.FrameCount];
                    Array.Copy(s.I, s.FrameOwner, before, 0, s.MaxFrames);
                    uint violated = step(machine, schedule.Steps[k]);
                    for (int f = 0; f < allocated; f++)
                    {
                        int owner = s.I[s.FrameOwner + f];
                        if (owner < before[f])
                            failure = $"after step {k + 1} ({schedule.StepLines()[k]}) frame {f} went from owner {before[f]} to {owner} "
                                + $"(0 = this mm, 1 = free, 2 = another)\nschedule:\n{string.Join("\n", schedule.StepLines().Take(k + 1))}";
                        if (before[f] == ModelState.OwnerFree && owner == ModelState.OwnerOther) reused++;
                    }
                    if (violated != 0) break;
                }
                if (failure is not null) break;
            }
            return (failure is null).Label(failure ?? "frames only move forward")
                .Classify(reused > 0, "a freed frame was reused")
                .Classify(program.Cpus + program.Devices.Length == 0, "no CPU or device");
        });

    [Property(MaxTest = 100, QuietOnSuccess = false)]
    public Property TheAllocatorNeverHandsAFrameBackToTheMm() => FramesNeverComeBack(Steps.Real);

    [Fact]
    public void TheAllocatorLawCatchesReuseThatHandsTheFrameBack()
    {
        // a planted bug: the allocator gives the oldest free frame back to this mm instead of another owner
        string? report = Falsify.Run(FramesNeverComeBack((machine, choice) =>
        {
            var s = machine.State;
            var owners = new int[s.MaxFrames];
            Array.Copy(s.I, s.FrameOwner, owners, 0, s.MaxFrames);
            uint violated = machine.Step(choice);
            if (choice.Action == StepAction.Reuse)
                for (int f = 0; f < s.MaxFrames; f++)
                    if (owners[f] == ModelState.OwnerFree && s.I[s.FrameOwner + f] == ModelState.OwnerOther) s.I[s.FrameOwner + f] = ModelState.OwnerMm;
            return violated;
        }), maxTest: 300);
        Assert.True(report is not null, "the allocator law did not catch reuse that hands the frame back");
        output.WriteLine(report);
    }
}
