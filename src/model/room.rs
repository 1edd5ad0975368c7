//! How a big city's buffers take room and give it back (issue 28, item 2: at most 1 KB an
//! organisation at 10⁶).
//!
//! glibc serves a block above its mmap threshold (128 KiB at first) from a mapping of its own,
//! grown and shrunk in place (`mremap`), whose pages go back to the system when it is freed; a
//! smaller block comes from the heap, where a `Vec` that grows is copied and leaves its old room
//! behind as a hole. And glibc *raises* the threshold to the size of any mapped block freed (up to
//! 32 MiB): one 800 KB vector freed at set-up, and from then on every growing buffer under 800 KB
//! lives in the heap. At 10⁶ organisations that was 250 MB of heap in a run of 1.12 GB
//! (benches/README.md, "branch mem-reserve"). So big buffers are made at their final size where it
//! is known, given back through `release`, and those that live in the heap grow by a quarter
//! (`reserve_a_quarter`). Nothing here depends on glibc to be right: with another allocator it is
//! the same code, holding the same entries.

/// Makes room in `v`, when it is full, for a quarter of its length more and `least`, where a `Vec`
/// doubles: a buffer that keeps growing grows a logarithmic number of times still, and holds at
/// most a quarter more than it needs (the calendar's buckets: −61 B an organisation at 10⁶,
/// branch mem-kilo).
#[inline]
pub(crate) fn reserve_a_quarter<T>(v: &mut Vec<T>, least: usize) {
    if v.len() == v.capacity() {
        v.reserve_exact(v.len() / 4 + least);
    }
}

/// Empties `v` and gives its room back, shrunk to one entry before it is freed: glibc shrinks a
/// mapped block in place, and freeing what is left (a page) does not raise its mmap threshold, where
/// freeing the whole block would (the packed vectors given up in step 1 and the lists' compaction
/// order: 100.6 MB at 10⁵ organisations instead of 103.9 MB). `v` keeps room for one entry until it
/// is dropped.
pub(crate) fn release<T>(v: &mut Vec<T>) {
    v.clear();
    v.shrink_to(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_vector_grows_by_a_quarter_and_least() {
        let mut v: Vec<u32> = Vec::new();
        let mut grown = 0;
        for x in 0..100_000 {
            let before = v.capacity();
            reserve_a_quarter(&mut v, 64);
            if v.capacity() != before {
                grown += 1;
                assert!(v.capacity() >= v.len() + v.len() / 4 + 64, "{} for {}", v.capacity(), v.len());
            }
            assert!(v.capacity() <= v.len() + v.len() / 4 + 64, "{} for {}", v.capacity(), v.len());
            v.push(x);
        }
        // Growth by a quarter from 64: about log(100 000 / 64) / log(1.25) ≈ 33 times, not 17.
        assert!((25..45).contains(&grown), "{grown}");
        assert_eq!(v, (0..100_000).collect::<Vec<u32>>());
    }

    #[test]
    fn released_vector_is_empty_with_room_for_one_at_most() {
        let mut v: Vec<u64> = (0..1_000_000).collect();
        release(&mut v);
        assert!(v.is_empty());
        assert!(v.capacity() <= 1, "{}", v.capacity());
        v.push(7);
        assert_eq!(v, [7]);
    }
}
