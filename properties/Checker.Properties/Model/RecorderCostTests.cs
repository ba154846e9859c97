using Checker.Exploration;
using Checker.Model;
using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Model;

/// <summary>Recording a step's effects costs nothing unless a recorder is attached: a machine without one
/// allocates nothing per step (with one, the same runs allocate — so the measurement can fail).</summary>
public class RecorderCostTests
{
    private static readonly (string Ordering, string Steps)[] Runs =
    [
        ("fork-6.0-only-end-no-ir", "dev0: read 0\nfork*8"),
        ("fork-6.0", "dev0: read 0\nfork*8"),
        ("mremap-4.14-pre-eb66ae030829", "cpu0: read 0\nmremap*5\ntruncate*9\ncpu0: read 0"),
        ("fault-upgrade-arm64-6.0", "dev0: read 0\nwp_reuse*3\ndev0: write 0\ndev0: write 0\ndev0: write 0"),
    ];

    [Fact]
    public void AMachineWithoutARecorderAllocatesNothingPerStep()
    {
        foreach (var (ordering, steps) in Runs)
        {
            var program = Models.Compile(CatalogFiles.Text(ordering));
            var schedule = Models.Schedule(program, steps);
            var machine = new Machine(program);
            Assert.Null(machine.Recorder);
            for (int n = 0; n < 50; n++) Run(machine, schedule); // warm up (JIT)
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int n = 0; n < 200; n++) Run(machine, schedule);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

            machine.Recorder = new StepRecorder(machine.State);
            before = GC.GetAllocatedBytesForCurrentThread();
            Run(machine, schedule);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before > 0, "a recording run of " + ordering + " allocated nothing: the measurement proves nothing");
        }
    }

    private static void Run(Machine machine, Schedule schedule)
    {
        machine.Reset(Executor.UnlimitedBudget);
        foreach (var c in schedule.Steps)
        {
            if (!machine.CanStep(c) || machine.Step(c) != 0) return;
        }
    }
}
