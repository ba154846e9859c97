/*
 * mm.pml - the checker's reference model (DESIGN §3, src/Checker.Core/Model/Machine*.cs), hand-written in
 * Promela for the ops the four compared orderings use. A scenario file defines, before including this one:
 *   NPAGES   user pages (all mapped to frame = page number unless the scenario unmaps some)
 *   NFRAMES  frames (= NPAGES: none of these orderings does pte_install)
 *   NTHREADS kernel threads
 *   KERNEL   60 (4.15-6.5) or 66
 *   BOUND    environment actions in total along a path (the checker's --bound, default 4)
 *   INITIAL_PRESENT  mask of pages mapped present+writable at the start
 * and then writes one proctype per kernel thread, one d_step per op (one op = one atomic step, as in the
 * checker), plus the environment actors below.
 *
 * Atomicity (the checker's, kept exactly): every op of a kernel thread is one step; every device action
 * (read/write/prefetch of one page) is one step and spends one unit of BOUND; the allocator's reuse is one step
 * and spends one unit. Invariants are evaluated inside the step that can break them, so they hold after every
 * step: stale-secondary-after-flush at a kernel thread's commit points (ptl_unlock, pte_move,
 * invalidate_range_end/only_end, a step that freed a frame, the thread's last step), use-after-free and
 * access-after-return at every device access (DESIGN §3.5, §3.6 rules 1, 7).
 *
 * Left out because these four orderings cannot reach them (each absence only shrinks Spin's state space):
 * CPU TLBs (cpus 0), shadow sPTEs and the fault sequence (no shadow), frame contents (no invariant reads them),
 * per-thread last-unmapped frames (read only by put_page/get_page/copy_page/pte_restore, unused here), the
 * secondary-fault-loop counter (an exact-flavor device never keeps an entry on a fault), copy marks (no copy_page:
 * lost-write unreachable), notifier stacks (every start has its end, in order: unbalanced-notifier unreachable),
 * and range checks (every range is inside the address space or (0, ~0): invalid-notifier-range unreachable).
 */

#define NOBODY 255
#define ALL ((1 << NPAGES) - 1)
#define BIT(p) (1 << (p))
#define HAS(mask, p) ((((mask) >> (p)) & 1) == 1)
/* the mask of pages [a, b) */
#define RANGE(a, b) ((ALL >> (a)) << (a) & ((1 << (b)) - 1))

#define OWNER_MM 0
#define OWNER_FREE 1
#define OWNER_OTHER 2

/* ---- state (DESIGN §3.1, restricted as said above). Frames, owners and reference counts are packed
 * into bit fields so that the initial state is a declaration (no init process, no extra steps):
 * 4 bits per page for a frame number (NONE = 15), 2 bits per frame for its owner and its reference count. ---- */
#define NONE 15
#define GETF(v, k) (((v) >> (4 * (k))) & 15)
#define SETF(v, k, x) v = (((v) & ~(15 << (4 * (k)))) | ((x) << (4 * (k)))) & 65535
#define GET2(v, k) (((v) >> (2 * (k))) & 3)
#define SET2(v, k, x) v = (((v) & ~(3 << (2 * (k)))) | ((x) << (2 * (k)))) & 255

byte present = INITIAL_PRESENT;      /* PTE present mask */
byte pteW = INITIAL_PRESENT;         /* PTE writable mask */
unsigned pteFrames : 16 = INITIAL_FRAMES;   /* page -> frame, or NONE */
byte iotlbV;                         /* dev0's IOTLB: valid mask */
byte iotlbW;                         /* dev0's IOTLB: writable mask */
unsigned iotlbFrames : 16;           /* page -> frame of dev0's entry */
byte owners = INITIAL_OWNERS;        /* frame -> OWNER_* */
byte refs = INITIAL_REFS;            /* frame -> reference count (0..3) */
unsigned freeq : 16;                 /* FIFO of freed frames, 4 bits a slot, oldest at freehead */
byte freehead;
byte freecount;
byte env = BOUND;                    /* environment actions left */
byte changed[NTHREADS];              /* pages T cleared, downgraded or repointed */
byte flushed[NTHREADS];              /* pages T has CPU-flushed since it last changed them */
byte cover[NTHREADS];                /* pages T's PTE-changing ops covered */
byte returnedCover;                  /* cover of the threads that have returned */
byte mmapWriter = NOBODY;
byte ptl = NOBODY;
byte immap = NOBODY;                 /* `lock i_mmap` */
byte activeInvalidations;
byte tlbFlushPending;
byte tlbFlushBatched;
/* mmu_gather, one per thread (page-granular: every range here is page aligned) */
byte gatherStart[NTHREADS];          /* first page; NPAGES when empty (start = TASK_SIZE), set by tlb_gather_mmu */
byte gatherEnd[NTHREADS];            /* last page + 1, 0 when empty */
byte gatherCleared[NTHREADS];
byte gatherBatch[NTHREADS];          /* mask of frames batched for freeing */

/* scratch: not part of the state vector */
hidden byte i;
hidden byte f;
hidden byte m;
hidden byte k;
hidden byte freed;
hidden byte ok;
/* one flag per invariant, recomputed right before its assert, so that the assert names the invariant */
hidden byte stale_secondary_after_flush;
hidden byte use_after_free;
hidden byte access_after_return;

/* ---- stale-secondary-after-flush (Invariants/StaleSecondaryAfterFlush.cs) ---- */
#define STALE(p) (!HAS(present, p) || GETF(pteFrames, p) != GETF(iotlbFrames, p) || (HAS(iotlbW, p) && !HAS(pteW, p)))

inline commit(t) {
  stale_secondary_after_flush = 0;
  i = 0;
  do
  :: i < NPAGES ->
     if
     :: HAS(iotlbV & flushed[t], i) && STALE(i) -> stale_secondary_after_flush = 1
     :: else -> skip
     fi;
     i++
  :: else -> break
  od;
  assert(!stale_secondary_after_flush)
}

/* ---- PTE changes (§3.6 rule 1) ---- */
inline change(t, mask) {
  changed[t] = changed[t] | (mask);
  flushed[t] = flushed[t] & ~(mask) & ALL
}

inline pte_wrprotect(t, mask) {
  m = (mask) & present & pteW;
  pteW = pteW & ~m & ALL;
  cover[t] = cover[t] | (mask);
  change(t, m)
}

/* mremap's move_ptes: the present PTEs of [a, b) move, frame and permission, to [a + shift, b + shift) */
inline pte_move(t, a, b, shift) {
  m = RANGE(a, b) & present;
  k = 0;  /* destination pages that were present (repointed) */
  i = a;
  do
  :: i < b ->
     if
     :: HAS(m, i) ->
        if :: HAS(present, i + shift) -> k = k | BIT(i + shift) :: else -> skip fi;
        SETF(pteFrames, i + shift, GETF(pteFrames, i));
        SETF(pteFrames, i, NONE);
        present = present | BIT(i + shift);
        if :: HAS(pteW, i) -> pteW = pteW | BIT(i + shift) :: else -> pteW = pteW & ~BIT(i + shift) & ALL fi;
        present = present & ~BIT(i) & ALL;
        pteW = pteW & ~BIT(i) & ALL
     :: else -> skip
     fi;
     i++
  :: else -> break
  od;
  cover[t] = cover[t] | RANGE(a, b);
  change(t, m | k)
}

/* ---- the secondary TLB hook with the `exact` driver: drop the entries in [a, b) (pages) ---- */
inline invalidate_secondary_tlbs(a, b) {
  iotlbV = iotlbV & ~RANGE(a, b) & ALL;
  iotlbW = iotlbW & ~RANGE(a, b) & ALL
}

/* ---- CPU flushes (Machine.Flush.cs). cpus 0: no CPU TLB to drop; the flushed mark is what matters ---- */
inline cpu_flush(t, mask) {
  flushed[t] = flushed[t] | ((mask) & changed[t])
}

/* flush_tlb_range / flush_tlb_mm: the CPUs, then in 6.6 the secondaries over the same range ((0, -1) for
 * flush_tlb_mm, which the exact driver reads as every page) */
inline flush_tlb(t, a, b) {
  cpu_flush(t, RANGE(a, b));
#if KERNEL == 66
  invalidate_secondary_tlbs(a, b)
#else
  skip
#endif
}

inline flush_tlb_batched_pending(t) {
  if
  :: tlbFlushBatched != 0 -> flush_tlb(t, 0, NPAGES); tlbFlushBatched = 0
  :: else -> skip
  fi
}

/* ---- mmu_notifier ---- */
inline invalidate_range_start() {
  activeInvalidations++
}

/* invalidate_range_end: <= 6.5 first calls ->invalidate_range over the range (mn_hlist_invalidate_end) */
inline invalidate_range_end(a, b) {
#if KERNEL != 66
  invalidate_secondary_tlbs(a, b);
#endif
  activeInvalidations--
}

inline invalidate_range_only_end() {
  activeInvalidations--
}

/* ---- frames: put_page's last reference frees the frame onto the allocator's FIFO ---- */
inline put_frame(fr) {
  if
  :: GET2(owners, fr) == OWNER_MM && GET2(refs, fr) > 0 ->
     SET2(refs, fr, GET2(refs, fr) - 1);
     if
     :: GET2(refs, fr) == 0 ->
        SET2(owners, fr, OWNER_FREE);
        SETF(freeq, (freehead + freecount) % NFRAMES, fr);
        freecount++;
        freed = 1
     :: else -> skip
     fi
  :: else -> skip
  fi
}

/* ---- mmu_gather (Machine.Kernel.cs TlbGatherMmu / ZapPteRange / TlbFlushMmu / TlbFinishMmu) ---- */
inline tlb_gather_mmu(t) {
  gatherStart[t] = NPAGES;
  gatherEnd[t] = 0;
  gatherCleared[t] = 0;
  gatherBatch[t] = 0;
  tlbFlushPending++
}

inline zap_pte_range(t, a, b) {
  m = RANGE(a, b) & present;
  i = a;
  do
  :: i < b ->
     if
     :: HAS(m, i) ->
        gatherBatch[t] = gatherBatch[t] | BIT(GETF(pteFrames, i));
        SETF(pteFrames, i, NONE);
        if :: i < gatherStart[t] -> gatherStart[t] = i :: else -> skip fi;
        if :: i + 1 > gatherEnd[t] -> gatherEnd[t] = i + 1 :: else -> skip fi
     :: else -> skip
     fi;
     i++
  :: else -> break
  od;
  present = present & ~m & ALL;
  pteW = pteW & ~m & ALL;
  if :: m != 0 -> gatherCleared[t] = 1 :: else -> skip fi;
  cover[t] = cover[t] | RANGE(a, b);
  change(t, m)
}

/* tlb_finish_mmu when not nested (one gather alive at most in these orderings: asserted), i.e. tlb_flush_mmu:
 * if something was cleared, the CPU flush of the gathered range and ->invalidate_range(start, end) (<= 6.5 from
 * tlb_flush_mmu_tlbonly, 6.6 through the arch flush: the same call here); then free the batched frames */
inline tlb_finish_mmu(t) {
  assert(tlbFlushPending == 1);
  if
  :: gatherCleared[t] != 0 ->
     cpu_flush(t, RANGE(gatherStart[t], gatherEnd[t]));
     invalidate_secondary_tlbs(gatherStart[t], gatherEnd[t]);
     gatherStart[t] = NPAGES;
     gatherEnd[t] = 0;
     gatherCleared[t] = 0
  :: else -> skip
  fi;
  freed = 0;
  i = 0;
  do
  :: i < NFRAMES ->
     if :: HAS(gatherBatch[t], i) -> put_frame(i) :: else -> skip fi;
     i++
  :: else -> break
  od;
  gatherBatch[t] = 0;
  tlbFlushPending--
}

/* a kernel thread's last step: it has returned to user space */
inline thread_returned(t) {
  returnedCover = returnedCover | cover[t]
}

/* ---- every access (Machine.Environment.cs Access): use-after-free first, then access-after-return ---- */
inline access(p, fr, wr) {
  use_after_free = (GET2(owners, fr) != OWNER_MM);
  assert(!use_after_free);
  ok = (HAS(present, p) && GETF(pteFrames, p) == fr && (!wr || HAS(pteW, p)));
  access_after_return = (!ok && HAS(returnedCover, p));
  assert(!access_after_return)
}

inline cache_iotlb(p) {
  iotlbV = iotlbV | BIT(p);
  if :: HAS(pteW, p) -> iotlbW = iotlbW | BIT(p) :: else -> iotlbW = iotlbW & ~BIT(p) & ALL fi;
  SETF(iotlbFrames, p, GETF(pteFrames, p))
}

/* the device walks the CPU page table itself, with no lock (§3.2); a fault caches nothing (§3.6 rule 7) */
inline dev_read(p) {
  if
  :: HAS(iotlbV, p) -> access(p, GETF(iotlbFrames, p), 0)
  :: !HAS(iotlbV, p) && HAS(present, p) -> cache_iotlb(p); access(p, GETF(iotlbFrames, p), 0)
  :: else -> skip
  fi
}

inline dev_write(p) {
  if
  :: HAS(iotlbV & iotlbW, p) -> access(p, GETF(iotlbFrames, p), 1)
  :: else ->
     /* a miss, or a write hitting a read-only entry: drop it and walk again */
     iotlbV = iotlbV & ~BIT(p) & ALL;
     iotlbW = iotlbW & ~BIT(p) & ALL;
     if
     :: HAS(present & pteW, p) -> cache_iotlb(p); access(p, GETF(iotlbFrames, p), 1)
     :: else -> skip
     fi
  fi
}

inline dev_prefetch(p) {
  if
  :: !HAS(iotlbV, p) && HAS(present, p) -> cache_iotlb(p)
  :: else -> skip
  fi
}

/* one device action = one atomic step = one unit of the environment bound */
#define DEV_ON(p) \
  :: d_step { env > 0 -> env--; dev_read(p) } \
  :: d_step { env > 0 -> env--; dev_write(p) } \
  :: d_step { env > 0 -> env--; dev_prefetch(p) }

/* the allocator (reuse on): hands the oldest free frame to another owner; one step, one unit of the bound */
#define ALLOC_REUSE \
  :: d_step { env > 0 && freecount > 0 -> env--; f = GETF(freeq, freehead); freehead = (freehead + 1) % NFRAMES; \
              freecount--; SET2(owners, f, OWNER_OTHER) }
