package media

import (
	"encoding/binary"
	"testing"
)

func TestReadEXIF(t *testing.T) {
	tests := []struct {
		name string
		spec exifSpec
		want exifInfo
	}{
		{"upright, nothing personal", exifSpec{orientation: 1},
			exifInfo{orientation: 1, removed: Removed{Other: true}}},
		{"turned, with position and camera", exifSpec{orientation: 6, gps: true, camera: true},
			exifInfo{orientation: 6, removed: Removed{Location: true, Camera: true, Other: true}}},
		{"big-endian, as some cameras write", exifSpec{orientation: 8, gps: true, bigEndian: true},
			exifInfo{orientation: 8, removed: Removed{Location: true, Other: true}}},
		{"no orientation tag", exifSpec{camera: true},
			exifInfo{orientation: 1, removed: Removed{Camera: true, Other: true}}},
		{"out of range", exifSpec{orientation: 9},
			exifInfo{orientation: 1, removed: Removed{Other: true}}},
		{"the thumbnail's orientation is not the image's", exifSpec{orientation: 3, thumbOrient: 6},
			exifInfo{orientation: 3, removed: Removed{Other: true}}},
		{"only the thumbnail has one", exifSpec{thumbOrient: 6},
			exifInfo{orientation: 1, removed: Removed{Other: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readEXIF(buildEXIF(tt.spec))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestReadEXIFRefusesWhatIsNotEXIF(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("II*"), []byte("XX*\x00\x08\x00\x00\x00"), []byte("<x:xmpmeta/>")} {
		if _, err := readEXIF(b); err == nil {
			t.Errorf("readEXIF(%q) took it", b)
		}
	}
}

func TestReadEXIFSurvivesHostileBlocks(t *testing.T) {
	le := binary.LittleEndian
	// IFD0 points at itself as the next IFD, and its Exif pointer at itself too.
	loop := []byte("II*\x00\x08\x00\x00\x00")
	loop = le.AppendUint16(loop, 2)
	loop = append(loop, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0)
	loop = append(loop, 0x69, 0x87, 4, 0, 1, 0, 0, 0, 8, 0, 0, 0)
	loop = le.AppendUint32(loop, 8)
	// An IFD that claims 65535 entries and points past the end.
	long := []byte("II*\x00\x08\x00\x00\x00\xff\xff\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00")
	past := []byte("II*\x00\xff\xff\xff\xff")
	for name, b := range map[string][]byte{"a loop": loop, "too many entries": long, "past the end": past} {
		info, err := readEXIF(b)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if info.orientation < 1 || info.orientation > 8 {
			t.Errorf("%s: orientation %d", name, info.orientation)
		}
	}
	if info, _ := readEXIF(loop); info.orientation != 6 {
		t.Errorf("a looping block lost the orientation it has: %d", info.orientation)
	}
}

// FuzzReadEXIF: no block, however made, crashes or hangs the reader, and
// the orientation it reports is always one the turning code knows.
func FuzzReadEXIF(f *testing.F) {
	f.Add(buildEXIF(exifSpec{orientation: 6, gps: true, camera: true}))
	f.Add(buildEXIF(exifSpec{orientation: 3, thumbOrient: 8, bigEndian: true}))
	f.Add([]byte("II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00\x00\x00\x08\x00\x00\x00"))
	f.Add([]byte("MM\x00*\x00\x00\x00\x08"))
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := readEXIF(b)
		if info.orientation < 1 || info.orientation > 8 {
			t.Fatalf("orientation %d (err %v)", info.orientation, err)
		}
		if err == nil && !info.removed.Other {
			t.Fatal("a block was read but not counted as removed")
		}
	})
}
