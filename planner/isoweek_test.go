package planner_test

import (
	"errors"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

func TestParseISOWeek(t *testing.T) {
	hel := mustLoad(t, "Europe/Helsinki")
	tests := []struct {
		in   string
		want string // RFC 3339 in Helsinki; empty for an error
	}{
		{"2026-W49", "2026-11-30T00:00:00+02:00"},
		{"2026-W01", "2025-12-29T00:00:00+02:00"},
		{"2026-W13", "2026-03-23T00:00:00+02:00"},
		{"2026-W14", "2026-03-30T00:00:00+03:00"},
		{"2026-W53", "2026-12-28T00:00:00+02:00"}, // 2026 starts on a Thursday: it has 53 weeks
		{"2020-W53", "2020-12-28T00:00:00+02:00"}, // a leap year starting on a Wednesday
		{"2027-W01", "2027-01-04T00:00:00+02:00"},
		{"2025-W53", ""},
		{"2027-W53", ""},
		{"2026-W54", ""},
		{"2026-W00", ""},
		{"2026-W99", ""},
		{"0000-W01", ""},
		{"2026-w49", ""},
		{"2026W49", ""},
		{"2026-W4", ""},
		{" 2026-W49", ""},
		{"2026-W49 ", ""},
		{"+026-W49", ""},
		{"2026-W-1", ""},
		{"2026-12-01", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := planner.ParseISOWeek(tt.in, hel)
			if tt.want == "" {
				var ie *planner.InvalidError
				if !errors.As(err, &ie) || ie.Key != "error.week" {
					t.Errorf("got %v, %v; want an error.week error", got, err)
				}
				return
			}
			if err != nil || got.Format(time.RFC3339) != tt.want {
				t.Fatalf("got %s, %v; want %s", got.Format(time.RFC3339), err, tt.want)
			}
			if s := planner.ISOWeekString(got); s != tt.in {
				t.Errorf("ISOWeekString = %s", s)
			}
		})
	}
}

func TestParseISOWeekNilLocation(t *testing.T) {
	got, err := planner.ParseISOWeek("2026-W49", nil)
	if err != nil || !got.Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)) || got.Location() != time.UTC {
		t.Errorf("got %v, %v", got, err)
	}
}

func TestISOWeeksIn(t *testing.T) {
	long := map[int]bool{2004: true, 2009: true, 2015: true, 2020: true, 2026: true, 2032: true}
	for y := 2000; y <= 2035; y++ {
		want := 52
		if long[y] {
			want = 53
		}
		if got := planner.ISOWeeksIn(y); got != want {
			t.Errorf("%d has %d weeks, want %d", y, got, want)
		}
	}
}

func TestWeekStart(t *testing.T) {
	hel := mustLoad(t, "Europe/Helsinki")
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 12, 3, 15, 0, 0, 0, hel), "2026-11-30T00:00:00+02:00"},
		{time.Date(2026, 11, 30, 0, 0, 0, 0, hel), "2026-11-30T00:00:00+02:00"},
		{time.Date(2026, 12, 6, 23, 59, 0, 0, hel), "2026-11-30T00:00:00+02:00"},
		{time.Date(2026, 3, 29, 12, 0, 0, 0, hel), "2026-03-23T00:00:00+02:00"},
		{time.Date(2026, 11, 29, 22, 30, 0, 0, time.UTC), "2026-11-30T00:00:00+02:00"}, // already Monday in Helsinki
	}
	for _, tt := range tests {
		t.Run(tt.in.String(), func(t *testing.T) {
			if got := planner.WeekStart(tt.in, hel).Format(time.RFC3339); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func FuzzParseISOWeek(f *testing.F) {
	for _, s := range []string{"2026-W49", "2026-W53", "2025-W53", "2026-W00", "9999-W52", "0001-W01", "2026-W5\x00", "２０２６-W49"} {
		f.Add(s)
	}
	hel, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		f.Skip(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, loc := range []*time.Location{time.UTC, hel} {
			start, err := planner.ParseISOWeek(s, loc)
			if err != nil {
				if !errors.Is(err, planner.ErrInvalid) {
					t.Fatalf("%q: error %v is not ErrInvalid", s, err)
				}
				continue
			}
			if got := planner.ISOWeekString(start); got != s {
				t.Fatalf("%q parsed to %v, which is week %s", s, start, got)
			}
			if start.Weekday() != time.Monday || start.Location() != loc {
				t.Fatalf("%q: start %v", s, start)
			}
			if h, m, _ := start.Clock(); loc == time.UTC && (h != 0 || m != 0) {
				t.Fatalf("%q: start %v is not midnight", s, start)
			}
		}
	})
}
