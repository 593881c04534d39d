package textrules

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/bidi"
	"golang.org/x/text/unicode/norm"
)

// maxLabelLength is DNS's limit for one label of a host name, in ASCII (RFC 1035).
const maxLabelLength = 63

// asciiHostLength returns the length of host once its labels are in their ASCII
// (punycode) form, as Java's IDN.toASCII computes it for twitter-text; ok is false
// when a label is empty, longer than 63 characters in that form, or not a valid
// international label.
func asciiHostLength(host string) (n int, ok bool) {
	for first := true; ; first = false {
		label, rest, more := strings.Cut(host, ".")
		l, ok := asciiLabelLength(label)
		if !ok {
			return 0, false
		}
		if !first {
			n++ // the dot
		}
		n += l
		if !more {
			return n, true
		}
		host = rest
	}
}

func asciiLabelLength(label string) (int, bool) {
	if isASCII(label) {
		return len(label), len(label) >= 1 && len(label) <= maxLabelLength
	}
	prepped, ok := nameprep(label)
	if !ok || prepped == "" {
		return 0, false
	}
	if isASCII(prepped) {
		return len(prepped), len(prepped) <= maxLabelLength
	}
	if len(prepped) >= 4 && strings.EqualFold(prepped[:4], "xn--") {
		return 0, false // a label that needs encoding must not already look encoded
	}
	n := len("xn--") + punycodeLength(prepped)
	return n, n <= maxLabelLength
}

// nameprep approximates RFC 3491: drop the characters mapped to nothing, fold case,
// normalise to NFKC, then refuse prohibited characters and mixed-direction labels.
func nameprep(label string) (string, bool) {
	label = strings.Map(func(r rune) rune {
		if mappedToNothing(r) {
			return -1
		}
		return r
	}, label)
	label = norm.NFKC.String(cases.Fold().String(label))
	hasRandAL, hasL := false, false
	var first, last rune = -1, -1
	for _, r := range label {
		if prohibited(r) {
			return "", false
		}
		p, _ := bidi.LookupRune(r)
		switch p.Class() {
		case bidi.R, bidi.AL:
			hasRandAL = true
		case bidi.L:
			hasL = true
		}
		if first < 0 {
			first = r
		}
		last = r
	}
	if hasRandAL && (hasL || !isRandAL(first) || !isRandAL(last)) {
		return "", false
	}
	return label, true
}

func isRandAL(r rune) bool {
	p, _ := bidi.LookupRune(r)
	return p.Class() == bidi.R || p.Class() == bidi.AL
}

// mappedToNothing is RFC 3454 table B.1.
func mappedToNothing(r rune) bool {
	switch {
	case r == 0x00AD, r == 0x034F, r == 0x1806, r == 0x2060, r == 0xFEFF:
		return true
	case 0x180B <= r && r <= 0x180D, 0x200B <= r && r <= 0x200D, 0xFE00 <= r && r <= 0xFE0F:
		return true
	}
	return false
}

// prohibited is nameprep's list of prohibited output (RFC 3491 section 5).
func prohibited(r rune) bool {
	switch {
	case r == utf8.RuneError:
		return true
	case r >= 0x80 && unicode.Is(unicode.Zs, r): // non-ASCII spaces
		return true
	case 0x80 <= r && r <= 0x9F, r == 0x06DD, r == 0x070F, r == 0x180E, r == 0x200C, r == 0x200D,
		r == 0x2028, r == 0x2029, 0x2060 <= r && r <= 0x2063, 0x206A <= r && r <= 0x206F, r == 0xFEFF,
		0xFFF9 <= r && r <= 0xFFFD, 0x1D173 <= r && r <= 0x1D17A: // controls
		return true
	case 0xE000 <= r && r <= 0xF8FF, r >= 0xF0000: // private use
		return true
	case 0xFDD0 <= r && r <= 0xFDEF, r&0xFFFE == 0xFFFE: // non-characters
		return true
	case 0xD800 <= r && r <= 0xDFFF, 0x2FF0 <= r && r <= 0x2FFB:
		return true
	case r == 0x0340, r == 0x0341, r == 0x200E, r == 0x200F, 0x202A <= r && r <= 0x202E: // display properties
		return true
	case r == 0xE0001, 0xE0020 <= r && r <= 0xE007F: // tags
		return true
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Punycode parameters (RFC 3492 section 5).
const (
	pcBase        = 36
	pcTMin        = 1
	pcTMax        = 26
	pcSkew        = 38
	pcDamp        = 700
	pcInitialBias = 72
	pcInitialN    = 128
)

// punycode encodes s (RFC 3492) without the "xn--" prefix.
func punycode(s string) string { return punycodeOf([]rune(s)) }

// punycodeOf encodes code points, which may include lone surrogates.
func punycodeOf(runes []rune) string {
	var out []byte
	for _, r := range runes {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	b := len(out)
	h := b
	if b > 0 {
		out = append(out, '-')
	}
	n, delta, bias := rune(pcInitialN), 0, pcInitialBias
	for h < len(runes) {
		m := rune(0x7FFFFFFF)
		for _, r := range runes {
			if r >= n && r < m {
				m = r
			}
		}
		delta += int(m-n) * (h + 1)
		n = m
		for _, r := range runes {
			if r < n {
				delta++
			}
			if r != n {
				continue
			}
			q := delta
			for k := pcBase; ; k += pcBase {
				t := k - bias
				if t < pcTMin {
					t = pcTMin
				} else if t > pcTMax {
					t = pcTMax
				}
				if q < t {
					break
				}
				out = append(out, punycodeDigit(t+(q-t)%(pcBase-t)))
				q = (q - t) / (pcBase - t)
			}
			out = append(out, punycodeDigit(q))
			bias = punycodeAdapt(delta, h+1, h == b)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return string(out)
}

func punycodeLength(s string) int { return len(punycode(s)) }

func punycodeDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}

func punycodeAdapt(delta, numPoints int, first bool) int {
	if first {
		delta /= pcDamp
	} else {
		delta /= 2
	}
	delta += delta / numPoints
	k := 0
	for delta > ((pcBase-pcTMin)*pcTMax)/2 {
		delta /= pcBase - pcTMin
		k += pcBase
	}
	return k + (pcBase-pcTMin+1)*delta/(delta+pcSkew)
}
