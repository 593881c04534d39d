package cmd

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/storage"
)

// phonePhoto is what a phone saves when held on its side: a 40×20 JPEG,
// left half red and right half blue, with EXIF that says to turn it 90°
// clockwise (orientation 6) and where it was taken (GPS latitude north).
func phonePhoto(t *testing.T) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for y := range 20 {
		for x := range 40 {
			c := color.RGBA{220, 30, 30, 255}
			if x >= 20 {
				c = color.RGBA{30, 30, 220, 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	tiff := []byte("II*\x00\x08\x00\x00\x00")
	tiff = le.AppendUint16(tiff, 2)
	tiff = append(tiff, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0)  // orientation 6
	tiff = append(tiff, 0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0) // the GPS IFD, at 38
	tiff = le.AppendUint32(tiff, 0)
	tiff = le.AppendUint16(tiff, 1)
	tiff = append(tiff, 0x01, 0x00, 2, 0, 2, 0, 0, 0, 'N', 0, 0, 0) // GPSLatitudeRef
	tiff = le.AppendUint32(tiff, 0)
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	seg := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(app1)+2))
	jpg := buf.Bytes()
	return append(append(append([]byte{}, jpg[:2]...), append(seg, app1...)...), jpg[2:]...)
}

func writeFile(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func smallPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPostAddWithImages(t *testing.T) {
	data, files := t.TempDir(), t.TempDir()
	photo := writeFile(t, files, "IMG_0042.JPG", phonePhoto(t))
	chart := writeFile(t, files, "chart.png", smallPNG(t, 30, 10))
	code, out, errOut := kaiku(t, "--data", data, "--lang", "en", "post", "add", "--at", "2026-12-01T09:00",
		"--text", "From the seminar", "--image", photo, "--alt", "The panel on stage",
		"--text", "The numbers", "--image", chart, "--alt", "Bar chart of the week")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	id := strings.TrimSpace(out)

	code, out, _ = kaiku(t, "--data", data, "post", "list", "--json")
	var posts []struct {
		ID     string
		Parts  []string
		Images []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &posts); code != 0 || err != nil || len(posts) != 1 {
		t.Fatalf("post list: exit %d, %v: %s", code, err, out)
	}
	ims := posts[0].Images
	if posts[0].ID != id || len(ims) != 2 {
		t.Fatalf("images %v", ims)
	}
	// Upright: the photo stored 40×20 is 20×40; the chart goes with part 2.
	want := []map[string]any{
		{"alt": "The panel on stage", "type": "image/jpeg", "width": 20.0, "height": 40.0},
		{"alt": "Bar chart of the week", "type": "image/png", "width": 30.0, "height": 10.0, "part": 1.0},
	}
	for i, w := range want {
		for k, v := range w {
			if ims[i][k] != v {
				t.Errorf("image %d: %s = %v, want %v", i+1, k, ims[i][k], v)
			}
		}
		if h, _ := ims[i]["hash"].(string); !planner.ValidImageHash(h) {
			t.Errorf("image %d: hash %v", i+1, ims[i]["hash"])
		}
	}
	if _, ok := ims[0]["part"]; ok {
		t.Error("the first part's image carries a part")
	}

	// The stored photo: upright, without its EXIF and its position.
	s, err := storage.Open(data, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stored, err := s.ImageData(context.Background(), ims[0]["hash"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(stored, []byte("Exif")) || bytes.Contains(stored, []byte{0xFF, 0xE1}) {
		t.Error("the stored photo keeps its EXIF")
	}
	m, err := jpeg.Decode(bytes.NewReader(stored))
	if err != nil {
		t.Fatal(err)
	}
	top := color.RGBAModel.Convert(m.At(10, 5)).(color.RGBA)
	bottom := color.RGBAModel.Convert(m.At(10, 34)).(color.RGBA)
	if top.R < 150 || top.B > 100 || bottom.B < 150 || bottom.R > 100 {
		t.Errorf("not upright: top %v, bottom %v (the left half, red, belongs on top)", top, bottom)
	}
}

func TestPostAddImageOnly(t *testing.T) {
	data := t.TempDir()
	pic := writeFile(t, t.TempDir(), "pic.png", smallPNG(t, 8, 8))
	if code, _, errOut := kaiku(t, "--data", data, "post", "add", "--image", pic, "--alt", "A gray square"); code != 0 {
		t.Fatalf("a post that is a picture: exit %d, %s", code, errOut)
	}
}

func TestPostAddRefusesImages(t *testing.T) {
	files := t.TempDir()
	pic := writeFile(t, files, "pic.png", smallPNG(t, 8, 8))
	notes := writeFile(t, files, "notes.txt", []byte("Remember the slides."))
	heic := writeFile(t, files, "IMG_0001.HEIC", append([]byte("\x00\x00\x00\x18ftypheic"), make([]byte, 40)...))
	photo := phonePhoto(t)
	broken := writeFile(t, files, "broken.jpg", photo[:len(photo)/2])
	five := []string{}
	for range 5 {
		five = append(five, "--image", pic)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"a missing file", []string{"--image", filepath.Join(files, "gone.jpg")}, 1, "there is no image file " + filepath.Join(files, "gone.jpg")},
		{"not an image", []string{"--image", notes}, 1, "cannot attach " + notes + ": it is not a JPEG, PNG, GIF or WebP image"},
		{"an iPhone's HEIC", []string{"--image", heic}, 1, "it is a HEIC photo"},
		{"a broken photo", []string{"--image", broken}, 1, "cannot attach " + broken + ": the JPEG file is damaged or cut short"},
		{"a fifth image", five, 1, pic + " would be image number 5"},
		{"a fifth in a thread's part", append([]string{"--text", "two"}, five...), 1, "would be image number 5"},
		{"an alt without an image", []string{"--alt", "one", "--alt", "two"}, 2, "--alt number 2 has no --image"},
		{"a folder", []string{"--image", files}, 1, "cannot read the image " + files},
		{"in Finnish", []string{"--image", notes}, 1, "kuvaa " + notes + " ei voi liittää: se ei ole JPEG-, PNG-, GIF- eikä WebP-kuva"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := t.TempDir()
			lang := "en"
			if tc.name == "in Finnish" {
				lang = "fi"
			}
			args := append([]string{"--data", data, "--lang", lang, "post", "add", "--text", "Slides", "--image", pic}, tc.args...)
			code, out, errOut := kaiku(t, args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.code, errOut)
			}
			first := strings.SplitN(errOut, "\n", 2)[0]
			if !strings.HasPrefix(first, "kaiku: ") || !strings.Contains(first, tc.want) {
				t.Errorf("stderr %q, want one line with %q", errOut, tc.want)
			}
			if out != "" {
				t.Errorf("stdout %q", out)
			}
			// Nothing saved: no post, and no image waiting for one.
			s, err := storage.Open(data, storage.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			undated, _ := s.UndatedPosts(context.Background())
			if n, _ := s.SweepImages(context.Background(), time.Now().Add(48*time.Hour)); len(undated) != 0 || n != 0 {
				t.Errorf("%d posts and %d images were saved", len(undated), n)
			}
		})
	}
}

// TestImagesGoThroughExportAndImport: export-json carries a post's images,
// and import-json into another folder brings them back, the same bytes.
func TestImagesGoThroughExportAndImport(t *testing.T) {
	src, dst, files := t.TempDir(), t.TempDir(), t.TempDir()
	photo := writeFile(t, files, "photo.jpg", phonePhoto(t))
	if code, _, errOut := kaiku(t, "--data", src, "post", "add", "--text", "Seminar", "--image", photo, "--alt", "The panel"); code != 0 {
		t.Fatalf("post add: %s", errOut)
	}
	export := filepath.Join(files, "kaiku.json")
	if code, _, errOut := kaiku(t, "--data", src, "export-json", "-o", export); code != 0 {
		t.Fatalf("export-json: %s", errOut)
	}
	raw, _ := os.ReadFile(export)
	if !bytes.Contains(raw, []byte(`"version":2`)) || !bytes.Contains(raw, []byte(`"images":[`)) {
		t.Errorf("the export lacks its images: %.300s", raw)
	}
	if code, _, errOut := kaiku(t, "--data", dst, "import-json", export); code != 0 {
		t.Fatalf("import-json: %s", errOut)
	}
	_, before, _ := kaiku(t, "--data", src, "post", "list", "--json")
	_, after, _ := kaiku(t, "--data", dst, "post", "list", "--json")
	if before != after {
		t.Errorf("the posts differ after the round trip:\n%s\n%s", before, after)
	}
	var posts []struct{ Images []planner.Image }
	if err := json.Unmarshal([]byte(after), &posts); err != nil || len(posts) != 1 || len(posts[0].Images) != 1 {
		t.Fatalf("%v: %s", err, after)
	}
	read := func(dir string) []byte {
		s, err := storage.Open(dir, storage.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		b, err := s.ImageData(context.Background(), posts[0].Images[0].Hash)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if !bytes.Equal(read(src), read(dst)) {
		t.Error("the image's bytes changed")
	}
}
