/* a hand-written fixture in the shape of mm/mremap.c (issue 17's tests) */
#define for_each_page(a, e) for (; a < e; a += PAGE_SIZE)

static void take_locks(struct vm_area_struct *vma)
{
	i_mmap_lock_write(vma->vm_file->f_mapping);
}

static int move_ptes(struct mm_struct *mm, unsigned long old_addr, unsigned long old_end, unsigned long new_addr)
{
	pte_t *old_pte, pte;
	spinlock_t *old_ptl;
	unsigned long len = old_end - old_addr;

	old_pte = pte_offset_map_lock(mm, old_pmd, old_addr, &old_ptl);
	if (!old_pte)
		goto out;
	flush_tlb_batched_pending(mm);
	for_each_page(old_addr, old_end) {
		if (pte_none(ptep_get(old_pte)))
			continue;
		pte = ptep_get_and_clear(mm, old_addr, old_pte);
		if (unlikely(uffd_armed))
			pte_clear(mm, new_addr, new_pte);
		else
			set_pte_at(mm, new_addr, new_pte, pte);
	}
#ifdef CONFIG_MINI_FLUSH
	flush_tlb_range(vma, old_end - len, old_end);
#else
	flush_tlb_mm(mm);
#endif
	pte_unmap_unlock(old_pte - 1, old_ptl);
	return 0;
out:
	put_page(page);
	return -EAGAIN;
}

static void unrelated(void)
{
	printk("nothing of interest");
}

unsigned long move_page_tables(struct mm_struct *mm, unsigned long old_addr, unsigned long len, unsigned long new_addr)
{
	struct mmu_notifier_range range;
	unsigned long old_end = old_addr + len;

	mmu_notifier_range_init(&range, MMU_NOTIFY_UNMAP, 0, mm, old_addr, old_end);
	mmu_notifier_invalidate_range_start(&range);
	if (need_locks)
		take_locks(vma);
	unrelated();
	if (move_ptes(mm, old_addr, old_end, new_addr) < 0) {
		put_page(page);
		return 0;
	}
	mmu_notifier_invalidate_range_end(&range);
	return len;
}

SYSCALL_DEFINE3(mini_mremap, unsigned long, addr, unsigned long, len, unsigned long, new_addr)
{
	struct mm_struct *mm = current->mm;
	unsigned long ret;

	if (mmap_write_lock_killable(current->mm))
		return -EINTR;
	ret = move_page_tables(mm, addr, len, new_addr);
	mmap_write_unlock(current->mm);
	return ret;
}
