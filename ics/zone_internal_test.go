package ics

import (
	"testing"
	"time"
)

// Every Windows and display name maps to a zone this build knows.
func TestWindowsZonesLoad(t *testing.T) {
	for _, m := range []map[string]string{windowsZones, displayZones} {
		for name, iana := range m {
			if _, err := time.LoadLocation(iana); err != nil {
				t.Errorf("%q → %q: %v", name, iana, err)
			}
		}
	}
	if len(windowsZones) < 130 {
		t.Errorf("%d Windows zones, want the CLDR table's", len(windowsZones))
	}
}
