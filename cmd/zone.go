package cmd

import (
	"os"
	"strings"
	"time"
)

// localZone is the user's zone, by its IANA name: TZ when it names one, else
// the system's. Go calls the system's zone "Local", which a slot plan or a
// calendar file cannot carry; without the name a plan made in Helsinki
// would be kept in UTC.
func localZone() *time.Location {
	if loc := namedZone(strings.TrimPrefix(os.Getenv("TZ"), ":")); loc != nil {
		return loc
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if loc := namedZone(zoneFromPath(target)); loc != nil {
			return loc
		}
	}
	if b, err := os.ReadFile("/etc/timezone"); err == nil { // Debian's own record of it
		if loc := namedZone(strings.TrimSpace(string(b))); loc != nil {
			return loc
		}
	}
	return time.Local
}

// zoneFromPath is the zone name in a path into a zoneinfo database, such
// as /usr/share/zoneinfo/Europe/Helsinki or, on macOS,
// /var/db/timezone/zoneinfo/Europe/Helsinki; "" for another path.
func zoneFromPath(p string) string {
	_, name, ok := strings.Cut(p, "zoneinfo/")
	if !ok {
		return ""
	}
	return name
}

// namedZone loads a zone by its IANA name; nil for "" or an unknown name.
func namedZone(name string) *time.Location {
	if name == "" || name == "Local" {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}
