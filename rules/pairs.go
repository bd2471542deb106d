package rules

// The default rules try about 190 terms on a mail, and a mail contains
// only a few of them. Searching the text for each was about a third of
// the CPU time of BenchmarkClassify, so a pairSet of the text rules out
// most terms before any search.

// pairSet is a Bloom filter of the pairs of adjacent bytes in a text: the
// bit of every pair that occurs is set. A part whose pairs are all set
// may occur in the text, but a part with a pair not set cannot.
type pairSet [pairBits / 64]uint64

// pairBits is the size of a pairSet in bits. The normalised text of a
// mail of 800 bytes in the triage corpus sets about 250 of them.
const pairBits = 4096

// pairHash maps two adjacent bytes to a bit of a pairSet.
func pairHash(a, b byte) uint16 {
	h := (uint32(a)<<8 | uint32(b)) * 2654435761 // Knuth's multiplicative hash
	return uint16(h >> (32 - 12))                // the top 12 bits: 0 to pairBits-1
}

// addPairs sets the bits of the pairs in text.
func (s *pairSet) addPairs(text string) {
	for i := 0; i+1 < len(text); i++ {
		h := pairHash(text[i], text[i+1])
		s[h/64] |= 1 << (h % 64)
	}
}

// pairsOf returns the hashed pairs of adjacent bytes in s, for
// pairSet.has.
func pairsOf(s string) []uint16 {
	var out []uint16
	for i := 0; i+1 < len(s); i++ {
		out = append(out, pairHash(s[i], s[i+1]))
	}
	return out
}

// has reports whether all pairs are set. A nil set has every pair.
func (s *pairSet) has(pairs []uint16) bool {
	if s == nil {
		return true
	}
	for _, h := range pairs {
		if s[h/64]&(1<<(h%64)) == 0 {
			return false
		}
	}
	return true
}

// mayOccur reports whether t may occur in a text with the pair set s:
// whether all parts of one of its alternatives may occur there.
func (t term) mayOccur(s *pairSet) bool {
	for _, seq := range t.alts {
		ok := true
		for _, p := range seq {
			if !s.has(p.pairs) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
