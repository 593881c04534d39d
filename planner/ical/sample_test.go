package ical_test

import (
	"os"
	"testing"
)

// TestWriteSample writes a real export of the five-slot plan over four weeks
// to the file KAIKU_ICAL_SAMPLE names (and KAIKU_ICAL_SAMPLE_RECURRING for
// the recurring shape), for a look or a manual import.
func TestWriteSample(t *testing.T) {
	for env, rec := range map[string]bool{"KAIKU_ICAL_SAMPLE": false, "KAIKU_ICAL_SAMPLE_RECURRING": true} {
		path := os.Getenv(env)
		if path == "" {
			continue
		}
		opt := options(t, "en")
		opt.Recurring = rec
		plan := plan5()
		for i := range plan.Slots {
			plan.Slots[i].Changed = changedAt
		}
		if err := os.WriteFile(path, []byte(export(t, plan, exceptions5(t), posts5(), opt)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
