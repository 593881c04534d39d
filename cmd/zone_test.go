package cmd

import (
	"os"
	"testing"
)

func TestZoneFromPath(t *testing.T) {
	for path, want := range map[string]string{
		"/usr/share/zoneinfo/Europe/Helsinki":           "Europe/Helsinki",
		"../usr/share/zoneinfo/America/Argentina/Salta": "America/Argentina/Salta",
		"/var/db/timezone/zoneinfo/Europe/Stockholm":    "Europe/Stockholm",
		"/usr/share/zoneinfo/Etc/UTC":                   "Etc/UTC",
		"/etc/static/localtime":                         "",
	} {
		if got := zoneFromPath(path); got != want {
			t.Errorf("zoneFromPath(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestLocalZoneHasAName(t *testing.T) {
	t.Setenv("TZ", "Europe/Helsinki")
	if got := localZone().String(); got != "Europe/Helsinki" {
		t.Errorf("with TZ set: %q", got)
	}
	t.Setenv("TZ", ":Asia/Tokyo")
	if got := localZone().String(); got != "Asia/Tokyo" {
		t.Errorf("with TZ=:Asia/Tokyo: %q", got)
	}
	// Without TZ the system's zone is read from /etc/localtime; whatever it
	// is here, it must be a name a plan can keep, not Go's "Local".
	t.Setenv("TZ", "")
	if got := localZone().String(); got == "Local" && zoneFromPath(readlink("/etc/localtime")) != "" {
		t.Errorf("the system zone was not named: %q", got)
	}
	t.Setenv("TZ", "Mars/Olympus_Mons")
	if got := localZone().String(); got == "Mars/Olympus_Mons" {
		t.Error("an unknown TZ was taken")
	}
}

func readlink(p string) string {
	s, _ := os.Readlink(p)
	return s
}
