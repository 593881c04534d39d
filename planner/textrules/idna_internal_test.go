package textrules

import "testing"

// Known encodings, some of them RFC 3492's samples, in lower case as nameprep leaves them.
func TestPunycode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"bücher", "bcher-kva"},
		{"münchen", "mnchen-3ya"},
		{"他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"},
		{"3年b組金八先生", "3b-ww4c5e180e575a65lsy2b"},
		{"안녕하세요", "o70b841ad5c9qb763b"},
		{"پاکستان", "mgbai9azgqp6j"},
	}
	for _, tt := range tests {
		if got := punycode(tt.in); got != tt.want {
			t.Errorf("punycode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestASCIIHostLength(t *testing.T) {
	tests := []struct {
		host string
		n    int
		ok   bool
	}{
		{"kaiku.app", 9, true},
		{"Bücher.de", 16, true}, // xn--bcher-kva.de
		{"ＫＡＩＫＵ.app", 9, true},  // full-width letters fold to ASCII
		{"pa\u00adkistan.com", 12, true},
		{"foo.پاکستان", 21, true},
		{"fooپاکستان.com", 0, false}, // mixes directions in one label
		{"xn--abc.com", 11, true},
		{"a\u200eb.com", 0, false}, // a direction mark is prohibited
	}
	for _, tt := range tests {
		n, ok := asciiHostLength(tt.host)
		if n != tt.n || ok != tt.ok {
			t.Errorf("asciiHostLength(%q) = %d, %v; want %d, %v", tt.host, n, ok, tt.n, tt.ok)
		}
	}
}
