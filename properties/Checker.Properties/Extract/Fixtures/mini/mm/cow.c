/* a hand-written fixture in the shape of wp_page_copy before 6.6 (issue 17's audit test) */
static vm_fault_t wp_copy(struct vm_fault *vmf)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, vmf->address & PAGE_MASK, (vmf->address & PAGE_MASK) + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	vmf->pte = pte_offset_map_lock(mm, vmf->pmd, vmf->address, &vmf->ptl);
	ptep_clear_flush_notify(vma, vmf->address, vmf->pte);
	set_pte_at_notify(mm, vmf->address, vmf->pte, entry);
	pte_unmap_unlock(vmf->pte, vmf->ptl);
	mmu_notifier_invalidate_range_only_end(&range);
	flush_tlb_page(vma, vmf->address);
	return 0;
}
