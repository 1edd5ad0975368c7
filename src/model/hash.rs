//! The two hashes of olika, in one place: FNV-1a, which names things (a venue's random stream, a
//! culture in a replay, a plan, a table's checksum), and SplitMix64 (Steele, Lea & Flood 2014),
//! which mixes keys into draws (the seeds of replications, the draws keyed to an event, an
//! innovation's market). Both are fixed functions, unlike std's hasher, whose output may change
//! between Rust releases: a seed must give the same run, and a folder the same checksum, in every
//! build.

/// FNV-1a's offset basis (64 bits).
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a's prime (64 bits).
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
/// 2⁶⁴ / φ: SplitMix64's increment, also used to spread small keys over the word.
pub(crate) const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

/// FNV-1a, fed piece by piece: the same hash as of the pieces joined.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(FNV_OFFSET)
    }
}

impl Fnv {
    /// Takes bytes in, one at a time: h ← (h ⊕ b) · p.
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Fnv {
        for &b in bytes {
            self.word(u64::from(b));
        }
        self
    }

    /// Takes a whole word in as one FNV step (a list of numbers hashed by value, not by byte).
    pub fn word(&mut self, w: u64) -> &mut Fnv {
        self.0 = (self.0 ^ w).wrapping_mul(FNV_PRIME);
        self
    }

    /// The hash so far.
    pub fn value(&self) -> u64 {
        self.0
    }
}

/// The FNV-1a hash of `bytes`.
pub fn fnv(bytes: &[u8]) -> u64 {
    Fnv::default().bytes(bytes).value()
}

/// SplitMix64's finaliser: a bijection of 64-bit words whose every output bit depends on every
/// input bit.
pub const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// One SplitMix64 output from its state `x`: the state advanced by `GOLDEN`, then mixed.
pub(crate) fn splitmix64(x: u64) -> u64 {
    mix(x.wrapping_add(GOLDEN))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hashes_give_their_published_values() {
        // FNV-1a 64 of "" and "a" (the reference implementation's test vectors).
        assert_eq!(fnv(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(Fnv::default().bytes(b"fo").bytes(b"o").value(), fnv(b"foo"));
        // SplitMix64 seeded with 0: its first output.
        assert_eq!(splitmix64(0), 0xe220_a839_7b1d_cdaf);
    }
}
