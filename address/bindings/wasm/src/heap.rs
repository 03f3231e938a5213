//! The wasm build's global allocator: power-of-two size classes with one free list each, carved
//! from memory grown page by page.
//!
//! Why not std's dlmalloc: it is ~6 kB of the 150 kB budget, and this crate's allocations are
//! few and repetitive (an output string, a suggestion list), which size classes serve in O(1)
//! with no fragmentation growth: a freed block is reused by the next request of its class, so
//! repeating a call never grows memory. Blocks are never returned to the engine (wasm memory
//! cannot shrink anyway).
//!
//! Only for `wasm32` without the `atomics` feature, where there is exactly one thread.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32::memory_grow;
use core::cell::UnsafeCell;
use core::ptr;

/// The smallest block: 16 bytes (room for the free-list link, and the alignment of every block).
const MIN_CLASS: u32 = 4;
/// Classes 2^4 ..= 2^31 bytes.
const CLASSES: usize = 32;
const PAGE: usize = 65536;
/// Blocks are aligned to their size up to this (requests for more alignment fail).
const MAX_ALIGN: usize = 4096;

struct Heap {
    /// Head of each class's free list (0: empty); a free block's first word links the next.
    free: [usize; CLASSES],
    /// The unused part of the grown memory: `bump..end`.
    bump: usize,
    end: usize,
}

/// The allocator (see the module docs).
pub struct Allocator(UnsafeCell<Heap>);

// SAFETY: wasm32 without the atomics feature runs one thread, so the heap is never shared.
unsafe impl Sync for Allocator {}

impl Allocator {
    /// An empty heap; memory is grown on the first allocation.
    pub const fn new() -> Allocator {
        Allocator(UnsafeCell::new(Heap {
            free: [0; CLASSES],
            bump: 0,
            end: 0,
        }))
    }
}

/// The class of a request: the power of two that holds its size and alignment.
fn class(layout: Layout) -> Option<u32> {
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    let class = size.checked_next_power_of_two()?.trailing_zeros();
    (layout.align() <= MAX_ALIGN && (class as usize) < CLASSES).then_some(class)
}

impl Heap {
    /// Puts the block at `p` on class `c`'s free list.
    ///
    /// # Safety
    /// `p` is a block of class `c` this heap owns and nobody uses.
    unsafe fn push(&mut self, c: u32, p: usize) {
        // SAFETY: the block is ours, at least 16 bytes and 16-aligned.
        unsafe { (p as *mut usize).write(self.free[c as usize]) };
        self.free[c as usize] = p;
    }

    /// A block of class `c`: from its free list, or carved from fresh memory.
    ///
    /// # Safety
    /// Only from the one thread.
    unsafe fn take(&mut self, c: u32) -> *mut u8 {
        let head = self.free[c as usize];
        if head != 0 {
            // SAFETY: free blocks hold the link to the next one.
            self.free[c as usize] = unsafe { (head as *const usize).read() };
            return head as *mut u8;
        }
        let size = 1usize << c;
        let align = size.min(MAX_ALIGN);
        let start = loop {
            let start = (self.bump + align - 1) & !(align - 1);
            match start.checked_add(size) {
                Some(stop) if stop <= self.end => break start,
                Some(_) | None => {}
            }
            let pages = (start + size - self.end).div_ceil(PAGE);
            let previous = memory_grow(0, pages);
            if previous == usize::MAX {
                return ptr::null_mut();
            }
            let base = previous * PAGE;
            if base != self.end {
                // The first growth (or someone else grew memory): start over at the new pages.
                self.bump = base;
            }
            self.end = base + pages * PAGE;
        };
        // The alignment gap becomes free blocks of the sizes that tile it (each naturally
        // aligned, since the gap's ends are multiples of 16).
        let mut p = self.bump;
        while p < start {
            let mut k = p.trailing_zeros().min(CLASSES as u32 - 1);
            while (1usize << k) > start - p {
                k -= 1;
            }
            // SAFETY: `p..p + 2^k` is unused memory inside `bump..start`.
            unsafe { self.push(k, p) };
            p += 1 << k;
        }
        self.bump = start + size;
        start as *mut u8
    }
}

unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match class(layout) {
            // SAFETY: one thread, so no other reference to the heap exists during the call.
            Some(c) => unsafe { (*self.0.get()).take(c) },
            None => ptr::null_mut(),
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some(c) = class(layout) {
            // SAFETY: `ptr` came from `alloc` with this layout, so it is a block of class `c`.
            unsafe { (*self.0.get()).push(c, ptr as usize) };
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = match Layout::from_size_align(new_size, layout.align()) {
            Ok(l) => l,
            Err(_) => return ptr::null_mut(),
        };
        if class(new_layout) == class(layout) {
            // The block already holds the new size.
            return ptr;
        }
        // SAFETY: as for `alloc`/`dealloc`; the copy stays inside both blocks.
        unsafe {
            let new = self.alloc(new_layout);
            if !new.is_null() {
                ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}
