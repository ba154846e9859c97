using System.Numerics;
using FsCheck;
using FsCheck.Experimental;
using FsCheck.Fluent;

namespace Peers.FsCheck;

/// <summary>
/// The model of the state-machine test (immutable, as FsCheck's documentation asks): where each kernel thread
/// is, who holds which lock, the environment budget left, and the abstraction of the mm that decides which
/// operations may come next — which pages are present (pte_move and zap_pte_range move or clear them) and how
/// many frames are free for the allocator. Arrays are never written after construction.
/// </summary>
public sealed record Model(int[] Pc, int EnvLeft, int MmapWriter, int Ptl, int IMmap, int Present, int[] Batched, int FreeFrames)
{
    public override string ToString() =>
        $"pc=[{string.Join(",", Pc)}] env={EnvLeft} present={Convert.ToString(Present, 2)} free={FreeFrames}";
}

/// <summary>
/// The FsCheck.Experimental specification (Machine&lt;Actual, Model&gt;, Setup, Operation with Pre/Run/Check), in the
/// shape of FsCheck's "Model-based Testing (Experimental)" page: Next generates an operation that the model says
/// is possible (any actor that can move, uniformly; for the device, any action on any page), Run advances the
/// model, Check applies the operation to the actual Mm and states the postconditions: the invariants of DESIGN
/// §3.5 hold after the step, and the actual agrees with the model.
/// </summary>
public sealed class MmSpec(Scenario scenario) : Machine<Mm, Model>(scenario.MaxRunLength)
{
    /// <summary>Counters for the benchmark (not part of the specification).</summary>
    public static class Stats
    {
        public static long Runs;
        public static long Operations;
        public static long RunsAtFirstFailure = -1;
        public static System.Diagnostics.Stopwatch Clock = new();
        public static TimeSpan? FirstFailure;

        public static void Reset()
        {
            Runs = Operations = 0;
            RunsAtFirstFailure = -1;
            FirstFailure = null;
            Clock = System.Diagnostics.Stopwatch.StartNew();
        }

        public static void Failed()
        {
            if (FirstFailure is not null) return;
            FirstFailure = Clock.Elapsed;
            RunsAtFirstFailure = Runs;
        }
    }

    public override Arbitrary<Setup<Mm, Model>> Setup => Arb.From(Gen.Constant<Setup<Mm, Model>>(new MmSetup(scenario)));

    public override Gen<Operation<Mm, Model>> Next(Model model)
    {
        var choices = new List<Gen<Operation<Mm, Model>>>();
        for (int t = 0; t < scenario.Threads.Count; t++)
        {
            var step = new KernelStep(scenario, t, model.Pc[t]);
            if (model.Pc[t] < scenario.Threads[t].Ops.Length && step.Pre(model)) choices.Add(Gen.Constant<Operation<Mm, Model>>(step));
        }
        if (model.EnvLeft > 0)
        {
            choices.Add(
                from action in Gen.Elements(DeviceAction.Read, DeviceAction.Write, DeviceAction.Prefetch)
                from page in Gen.Choose(0, scenario.Pages - 1)
                select (Operation<Mm, Model>)new DeviceStep(action, page));
            if (model.FreeFrames > 0) choices.Add(Gen.Constant<Operation<Mm, Model>>(new AllocatorReuse()));
        }
        if (choices.Count == 0) return Gen.Constant<Operation<Mm, Model>>(new StopOperation<Mm, Model>());
        return Gen.OneOf(choices);
    }

    private sealed class MmSetup(Scenario scenario) : Setup<Mm, Model>
    {
        public override Mm Actual()
        {
            Stats.Runs++;
            return new Mm(scenario);
        }

        public override Model Model() => new(new int[scenario.Threads.Count], scenario.Bound, -1, -1, -1,
            scenario.InitialPresent, new int[scenario.Threads.Count], 0);
    }

    /// <summary>The next op of kernel thread T.</summary>
    private sealed class KernelStep(Scenario scenario, int thread, int index) : Operation<Mm, Model>
    {
        private KernelOp Op => scenario.Threads[thread].Ops[index];

        private bool Last => index == scenario.Threads[thread].Ops.Length - 1;

        public override bool Pre(Model m)
        {
            if (m.Pc[thread] != index) return false;
            if (Op.Code != Code.Lock) return true;
            return Op.Lock switch
            {
                LockName.MmapWrite => m.MmapWriter < 0,
                LockName.Ptl => m.Ptl < 0,
                _ => m.IMmap < 0,
            };
        }

        public override Model Run(Model m)
        {
            var pc = (int[])m.Pc.Clone();
            pc[thread]++;
            int holder = Op.Code == Code.Lock ? thread : -1;
            bool lockOp = Op.Code is Code.Lock or Code.Unlock or Code.PtlUnlock;
            int present = m.Present, free = m.FreeFrames;
            var batched = m.Batched;
            switch (Op.Code)
            {
                case Code.PteMove:
                    int moved = Op.Range & present;
                    present = (present & ~moved) | (moved << Op.Shift);
                    break;
                case Code.ZapPteRange:
                    batched = (int[])batched.Clone();
                    batched[thread] += BitOperations.PopCount((uint)(Op.Range & present));
                    present &= ~Op.Range;
                    break;
                case Code.TlbFinishMmu:
                    free += batched[thread];
                    batched = (int[])batched.Clone();
                    batched[thread] = 0;
                    break;
            }
            return m with
            {
                Pc = pc,
                MmapWriter = lockOp && Op.Lock == LockName.MmapWrite ? holder : m.MmapWriter,
                Ptl = lockOp && Op.Lock == LockName.Ptl ? holder : m.Ptl,
                IMmap = lockOp && Op.Lock == LockName.IMmap ? holder : m.IMmap,
                Present = present,
                Batched = batched,
                FreeFrames = free,
            };
        }

        public override Property Check(Mm actual, Model m)
        {
            Stats.Operations++;
            string? violation = actual.Kernel(thread, Op, Last);
            return Postconditions(actual, m, violation, ToString());
        }

        public override string ToString() => $"{scenario.Threads[thread].Name}: {Op}";
    }

    /// <summary>dev0 reads, writes or prefetches one page: one environment action.</summary>
    private sealed class DeviceStep(DeviceAction action, int page) : Operation<Mm, Model>
    {
        public override bool Pre(Model m) => m.EnvLeft > 0;

        public override Model Run(Model m) => m with { EnvLeft = m.EnvLeft - 1 };

        public override Property Check(Mm actual, Model m)
        {
            Stats.Operations++;
            return Postconditions(actual, m, actual.Device(action, page), ToString());
        }

        public override string ToString() => $"dev0: {action.ToString().ToLowerInvariant()} {page}";
    }

    /// <summary>The allocator hands the oldest free frame to another owner: one environment action.</summary>
    private sealed class AllocatorReuse : Operation<Mm, Model>
    {
        public override bool Pre(Model m) => m.EnvLeft > 0 && m.FreeFrames > 0;

        public override Model Run(Model m) => m with { EnvLeft = m.EnvLeft - 1, FreeFrames = m.FreeFrames - 1 };

        public override Property Check(Mm actual, Model m)
        {
            Stats.Operations++;
            actual.Reuse();
            return Postconditions(actual, m, null, ToString());
        }

        public override string ToString() => "alloc: reuse";
    }

    private static Property Postconditions(Mm actual, Model m, string? violation, string step)
    {
        bool agrees = actual.PresentMask == m.Present && actual.FreeFrames == m.FreeFrames;
        if (violation is not null || !agrees) Stats.Failed();
        return Prop.Label(violation is null, $"{step}: {violation} ({actual})")
            .And(Prop.Label(agrees, $"{step}: the model ({m}) and {actual} disagree"));
    }
}
