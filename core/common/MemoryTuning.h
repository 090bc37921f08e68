#pragma once

// The allocator settings of a VibeML process (glibc), made once at start-up by main() — and by
// the log benchmarks in bench/, which measure the window's log pipeline as the window runs it.
//
// A big log's lines live in blocks of up to 1 MiB that are freed by the thousand as the
// scrollback moves on. With glibc's defaults, freed heap beyond 128 KiB goes back to the kernel
// at once, and the next block is faulted in and zeroed by the kernel again: reading a 200 MB log
// took about 200,000 page faults and a seventh of its CPU time that way. Keeping up to 64 MiB of
// freed heap per arena (and taking blocks under 4 MiB from the heap, not from mmap) reuses them;
// memory freed after a huge log goes back to the system only beyond that.
namespace vibeml {

void tuneAllocator();

} // namespace vibeml
