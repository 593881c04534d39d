package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/kaiku-app/kaiku/planner"
)

// imageData is n bytes that start like a JPEG: the store checks no more.
func imageData(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 3))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	copy(b, "\xff\xd8\xff\xe0")
	return b
}

// withImages is a post carrying the images, in part 0.
func withImages(id string, hashes ...string) planner.Post {
	p := testPost(id, at(2026, 12, 1, 9, 0), planner.StatusDraft)
	for i, h := range hashes {
		p.Images = append(p.Images, planner.Image{Hash: h, Alt: fmt.Sprintf("picture %d", i+1), Type: planner.ImageJPEG, Width: 800, Height: 600})
	}
	return p
}

func saveImage(t testing.TB, s *Store, data []byte) string {
	t.Helper()
	h, err := s.SaveImage(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func record(t testing.TB, s *Store, hash string) (imageRecord, bool) {
	t.Helper()
	var rec imageRecord
	err := s.view(func(txn *badger.Txn) error { return get(txn, imageKey(hash), &rec) })
	if errors.Is(err, planner.ErrNotFound) {
		return rec, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return rec, true
}

// checkImages checks what the counting promises: every image a post names
// is stored whole, each record counts exactly the posts that name it, and
// no part is left without its record.
func checkImages(t testing.TB, s *Store) {
	t.Helper()
	named := map[string]int{}
	records := map[string]imageRecord{}
	parts := map[string]int{}
	err := s.view(func(txn *badger.Txn) error {
		opt := badger.DefaultIteratorOptions
		it := txn.NewIterator(opt)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			k := string(item.Key())
			switch {
			case strings.HasPrefix(k, prefixPost):
				var p planner.Post
				if err := item.Value(func(b []byte) error { return decode(b, &p) }); err != nil {
					return err
				}
				for _, h := range p.ImageHashes() {
					named[h]++
				}
			case strings.HasPrefix(k, prefixImage):
				var rec imageRecord
				if err := item.Value(func(b []byte) error { return decode(b, &rec) }); err != nil {
					return err
				}
				records[strings.TrimPrefix(k, prefixImage)] = rec
			case strings.HasPrefix(k, prefixImageData):
				parts[k[len(prefixImageData):len(prefixImageData)+64]]++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for h, n := range named {
		rec, ok := records[h]
		if !ok {
			t.Errorf("posts name image %s, which is not stored", h[:8])
			continue
		}
		if rec.Refs != n {
			t.Errorf("image %s counts %d posts, %d name it", h[:8], rec.Refs, n)
		}
	}
	for h, rec := range records {
		if named[h] == 0 && rec.Refs != 0 {
			t.Errorf("image %s counts %d posts, none names it", h[:8], rec.Refs)
		}
		if parts[h] != rec.Parts {
			t.Errorf("image %s has %d parts stored of %d", h[:8], parts[h], rec.Parts)
		}
	}
	for h := range parts {
		if _, ok := records[h]; !ok {
			t.Errorf("parts of image %s are left without its record", h[:8])
		}
	}
}

func TestImagesAreStoredOnceForEveryPost(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	data := imageData(1, 3000)
	h := saveImage(t, s, data)
	if again := saveImage(t, s, bytes.Clone(data)); again != h || h != planner.ImageHash(data) {
		t.Fatalf("hashes %s, %s", h, again)
	}
	for _, id := range []string{"a", "b"} {
		if err := s.SavePost(ctx, withImages(id, h, h)); err != nil { // the same picture twice counts once
			t.Fatal(err)
		}
	}
	if rec, _ := record(t, s, h); rec.Refs != 2 || rec.Parts != 1 || rec.Type != planner.ImageJPEG || rec.Size != 3000 {
		t.Errorf("record %+v", rec)
	}
	got, err := s.ImageData(ctx, h)
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("ImageData: %v", err)
	}
	p, _ := s.Post(ctx, "a")
	if len(p.Images) != 2 || p.Images[1].Alt != "picture 2" {
		t.Errorf("the post's images came back as %+v", p.Images)
	}
	checkImages(t, s)
}

func TestAPostCannotNameAnImageNotStored(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	err := s.SavePost(ctx, withImages("a", planner.ImageHash([]byte("never stored"))))
	var ie *planner.InvalidError
	if !errors.As(err, &ie) || ie.Key != "error.post.image_missing" {
		t.Fatalf("err %v, want error.post.image_missing", err)
	}
	if _, err := s.Post(ctx, "a"); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("the post was saved: %v", err)
	}
	if _, err := s.SaveImage(ctx, []byte("not a picture at all")); !errors.Is(err, planner.ErrInvalid) {
		t.Errorf("SaveImage took text: %v", err)
	}
	if _, err := s.ImageData(ctx, strings.Repeat("0", 64)); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("ImageData of nothing: %v", err)
	}
}

func TestDeletingAPostRemovesTheImagesNoPostNames(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	shared, own := saveImage(t, s, imageData(1, 2000)), saveImage(t, s, imageData(2, 3<<20))
	if err := s.SavePost(ctx, withImages("a", shared, own)); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePost(ctx, withImages("b", shared)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePost(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImageData(ctx, own); !errors.Is(err, planner.ErrNotFound) {
		t.Errorf("the image only the deleted post had is still there: %v", err)
	}
	if _, err := s.ImageData(ctx, shared); err != nil {
		t.Errorf("the image another post has is gone: %v", err)
	}
	if err := s.DeletePost(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if _, ok := record(t, s, shared); ok {
		t.Error("the last post went, its image stayed")
	}
	checkImages(t, s)
}

func TestAnImageAnEditDropsWaitsForTheSweep(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	h := saveImage(t, s, imageData(3, 1500))
	if err := s.SavePost(ctx, withImages("a", h)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdatePost(ctx, "a", func(p *planner.Post) error { p.Images = nil; return nil }); err != nil {
		t.Fatal(err)
	}
	if n, err := s.SweepImages(ctx, time.Now().Add(-imageGrace)); err != nil || n != 0 {
		t.Fatalf("swept %d (%v) within the grace", n, err)
	}
	// Undo: the composer puts it back.
	if _, err := s.UpdatePost(ctx, "a", func(p *planner.Post) error { p.Images = withImages("a", h).Images; return nil }); err != nil {
		t.Fatalf("putting the image back: %v", err)
	}
	if _, err := s.UpdatePost(ctx, "a", func(p *planner.Post) error { p.Images = nil; return nil }); err != nil {
		t.Fatal(err)
	}
	if n, err := s.SweepImages(ctx, time.Now().Add(time.Second)); err != nil || n != 1 {
		t.Fatalf("swept %d (%v) after the grace, want 1", n, err)
	}
	if _, ok := record(t, s, h); ok {
		t.Error("still there")
	}
	checkImages(t, s)
}

func TestAnImageWithoutItsPostIsSweptAfterTheGrace(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	orphan := saveImage(t, s, imageData(4, 2<<20)) // a post add killed between the image and the post
	used := saveImage(t, s, imageData(5, 100))
	if err := s.SavePost(ctx, withImages("a", used)); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.SweepImages(ctx, time.Now().Add(-imageGrace)); n != 0 {
		t.Errorf("swept %d within the grace", n)
	}
	if n, err := s.SweepImages(ctx, time.Now().Add(time.Second)); err != nil || n != 1 {
		t.Fatalf("swept %d (%v), want the orphan", n, err)
	}
	if _, ok := record(t, s, orphan); ok {
		t.Error("the orphan stayed")
	}
	if _, err := s.ImageData(ctx, used); err != nil {
		t.Errorf("the sweep took an image a post names: %v", err)
	}
	checkImages(t, s)
}

func TestAnImageStoredAgainForANewPostOutlivesItsOldPost(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	h := saveImage(t, s, imageData(6, 500))
	if err := s.SavePost(ctx, withImages("old", h)); err != nil {
		t.Fatal(err)
	}
	saveImage(t, s, imageData(6, 500)) // attached in the composer to a new post, not yet saved
	if err := s.DeletePost(ctx, "old"); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePost(ctx, withImages("new", h)); err != nil {
		t.Fatalf("the new post lost its image: %v", err)
	}
	checkImages(t, s)
}

func TestMultiMegabyteImages(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	big := imageData(7, 12<<20+12345) // a 12-megapixel PNG screenshot is about this
	h := saveImage(t, s, big)
	if err := s.SavePost(ctx, withImages("a", h)); err != nil {
		t.Fatal(err)
	}
	if rec, _ := record(t, s, h); rec.Parts != 13 {
		t.Errorf("%d parts", rec.Parts)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openAt(t, dir)
	got, err := s.ImageData(ctx, h)
	if err != nil || !bytes.Equal(got, big) {
		t.Fatalf("after reopening: %v", err)
	}
	checkImages(t, s)
}

func TestImageCountsHoldUnderConcurrentSaves(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	h := saveImage(t, s, imageData(8, 4000))
	// Saves that lose the race on the image's count often enough give up
	// with ErrConflict, and nothing of them is kept; the caller tries again.
	retry := func(op func() error) error {
		for {
			if err := op(); !errors.Is(err, planner.ErrConflict) {
				return err
			}
		}
	}
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			id := fmt.Sprintf("p%d", i)
			for range 8 {
				if err := retry(func() error { return s.SavePost(ctx, withImages(id, h)) }); err != nil {
					t.Error(err)
					return
				}
				if err := retry(func() error {
					_, err := s.UpdatePost(ctx, id, func(p *planner.Post) error { p.Images = nil; return nil })
					return err
				}); err != nil {
					t.Error(err)
					return
				}
			}
			if err := retry(func() error { return s.SavePost(ctx, withImages(id, h)) }); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if rec, _ := record(t, s, h); rec.Refs != 6 {
		t.Errorf("counts %d posts, 6 name it", rec.Refs)
	}
	checkImages(t, s)
}

func TestBackupRestoreCarriesImages(t *testing.T) {
	src := openTest(t)
	ctx := context.Background()
	small, big := imageData(9, 700), imageData(10, 3<<20+7)
	hs, hb := saveImage(t, src, small), saveImage(t, src, big)
	if err := src.SavePost(ctx, withImages("a", hs, hb)); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := src.Backup(ctx, &buf, nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir() + "/restored"
	if err := Restore(ctx, dir, bytes.NewReader(buf.Bytes()), Options{Logger: quietLogger()}, nil); err != nil {
		t.Fatal(err)
	}
	dst := openAt(t, dir)
	for h, want := range map[string][]byte{hs: small, hb: big} {
		got, err := dst.ImageData(ctx, h)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("image %s after the restore: %v", h[:8], err)
		}
	}
	checkImages(t, dst)
	// The counts came along: the post's deletion removes its images.
	if err := dst.DeletePost(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if _, ok := record(t, dst, hb); ok {
		t.Error("the restored image outlived its post")
	}
}

// TestImagesSurviveAKill: a process saving images and the posts that carry
// them, editing and deleting them, is killed at random moments; every time
// the folder opens with every post's images whole and every count right.
func TestImagesSurviveAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(11, 12))
	for round := range 4 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=images", childDirEnv+"="+dir, fmt.Sprintf("KAIKU_STORAGE_TEST_ROUND=%d", round))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait for the child to be at work, then kill it mid-way.
		first := make([]byte, 1)
		if _, err := out.Read(first); err != nil {
			t.Fatalf("round %d: the child said nothing: %v", round, err)
		}
		time.Sleep(time.Duration(50+r.IntN(400)) * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		s, err := Open(dir, Options{Logger: quietLogger()})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		checkImages(t, s)
		posts, err := s.UndatedPosts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		dated, _ := s.PostsBetween(context.Background(), planner.MinPostTime, planner.MaxPostTime)
		for _, p := range append(posts, dated...) {
			for _, h := range p.ImageHashes() {
				if _, err := s.ImageData(context.Background(), h); err != nil {
					t.Errorf("round %d: post %s: %v", round, p.ID, err)
				}
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if t.Failed() {
			return
		}
	}
}

// imagesChild saves, edits and deletes posts with images until killed.
func imagesChild(dir string) error {
	s, err := Open(dir, Options{Logger: quietLogger()})
	if err != nil {
		return err
	}
	ctx := context.Background()
	round := os.Getenv("KAIKU_STORAGE_TEST_ROUND")
	r := rand.New(rand.NewPCG(uint64(len(round)), uint64(time.Now().UnixNano())))
	fmt.Print("working\n")
	for i := 0; ; i++ {
		id := fmt.Sprintf("r%s-%d", round, i%12)
		var hashes []string
		for range 1 + r.IntN(3) {
			// A few pictures shared among the posts, some of several megabytes.
			n := r.IntN(6)
			size := 900
			if n%3 == 0 {
				size = 2<<20 + n
			}
			h, err := s.SaveImage(ctx, imageData(uint64(n), size))
			if err != nil {
				return err
			}
			hashes = append(hashes, h)
		}
		if err := s.SavePost(ctx, withImages(id, hashes...)); err != nil {
			return err
		}
		switch r.IntN(3) {
		case 0:
			if err := s.DeletePost(ctx, fmt.Sprintf("r%s-%d", round, r.IntN(12))); err != nil && !errors.Is(err, planner.ErrNotFound) {
				return err
			}
		case 1:
			if _, err := s.UpdatePost(ctx, id, func(p *planner.Post) error { p.Images = p.Images[:1]; return nil }); err != nil {
				return err
			}
		}
	}
}

func TestExportImportCarriesImages(t *testing.T) {
	src := openTest(t)
	ctx := context.Background()
	shared, big := imageData(20, 5000), imageData(21, 3<<20+11)
	hs, hb := saveImage(t, src, shared), saveImage(t, src, big)
	saveImage(t, src, imageData(22, 100)) // waiting for a post: not the user's yet, not exported
	thread := withImages("thread", hs)
	thread.Text, thread.Parts = "", []string{"One", "Two"}
	thread.Images = append(thread.Images, planner.Image{Hash: hb, Alt: "Slide 2", Type: planner.ImageJPEG, Width: 4000, Height: 3000, Part: 1})
	for _, p := range []planner.Post{withImages("a", hs), thread} {
		if err := src.SavePost(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	doc, raw := exportOf(t, src)
	if doc.Version != 2 || len(doc.Images) != 2 {
		t.Fatalf("version %d, %d images, want version 2 and the 2 images posts carry", doc.Version, len(doc.Images))
	}
	for _, im := range doc.Images {
		want := map[string][]byte{hs: shared, hb: big}[im.Hash]
		if !bytes.Equal(im.Data, want) || im.Type != planner.ImageJPEG || im.Size != int64(len(want)) {
			t.Errorf("image %s came out wrong", im.Hash[:8])
		}
	}
	if !bytes.Contains(raw, []byte(`"part":1`)) {
		t.Error("the thread's second image lost its part")
	}

	dst := openTest(t)
	// A picture the other store has already, named by a post of its own: the
	// import stores it once and counts both.
	saveImage(t, dst, shared)
	if err := dst.SavePost(ctx, withImages("mine", hs)); err != nil {
		t.Fatal(err)
	}
	sum, err := dst.ImportJSON(ctx, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Images != 2 || sum.Posts != 2 {
		t.Errorf("summary %+v", sum)
	}
	for h, want := range map[string][]byte{hs: shared, hb: big} {
		if got, err := dst.ImageData(ctx, h); err != nil || !bytes.Equal(got, want) {
			t.Errorf("image %s after the import: %v", h[:8], err)
		}
	}
	if rec, _ := record(t, dst, hs); rec.Refs != 3 {
		t.Errorf("the shared image counts %d posts, 3 name it", rec.Refs)
	}
	got, _ := dst.Post(ctx, "thread")
	if !reflectEqual(got.Images, thread.Images) {
		t.Errorf("the thread's images came back as %+v", got.Images)
	}
	checkImages(t, dst)
	if k := keysWithPrefix(t, dst, prefixImport); k != 0 {
		t.Errorf("%d import records left over", k)
	}

	// Again: the same file changes nothing.
	if _, err := dst.ImportJSON(ctx, bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	}
	checkImages(t, dst)
}

func TestExportWithoutImagesIsVersion1(t *testing.T) {
	s := openTest(t)
	if err := s.SavePost(context.Background(), testPost("p", at(2026, 12, 1, 9, 0), planner.StatusDraft)); err != nil {
		t.Fatal(err)
	}
	saveImage(t, s, imageData(23, 100)) // no post names it yet
	if doc, _ := exportOf(t, s); doc.Version != 1 || len(doc.Images) != 0 {
		t.Errorf("version %d with %d images: an older Kaiku reads a file without images", doc.Version, len(doc.Images))
	}
}

func TestImportRefusesImagesThatAreNotWhatTheySay(t *testing.T) {
	ctx := context.Background()
	good := imageData(30, 4000)
	h := planner.ImageHash(good)
	post := withImages("p", h)
	doc := func(images ...any) []byte {
		raw, err := json.Marshal(map[string]any{"format": ExportFormat, "version": 2, "posts": []planner.Post{post}, "images": images})
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	entry := func(hash, typ string, data []byte) map[string]any {
		return map[string]any{"hash": hash, "type": typ, "size": len(data), "data": data}
	}
	tests := []struct {
		name, want string
		file       []byte
	}{
		{"a damaged image", "image 1 (id “" + h + "”): its data does not match its hash",
			doc(entry(h, planner.ImageJPEG, append(bytes.Clone(good[:3999]), 0)))},
		{"not a picture", "image 1 (id “" + planner.ImageHash([]byte("hello")) + "”): its data is not a JPEG, PNG or GIF image",
			doc(entry(planner.ImageHash([]byte("hello")), planner.ImageJPEG, []byte("hello")))},
		{"another type than it says", "its data is not a JPEG, PNG or GIF image", doc(entry(h, planner.ImagePNG, good))},
		{"twice", "image 2 (id “" + h + "”): the file holds it twice", doc(entry(h, planner.ImageJPEG, good), entry(h, planner.ImageJPEG, good))},
		{"a post naming an image the file lacks", "post 1 (id “p”): it names an image (" + h + ") that the file does not hold", doc()},
		{"images not a list", "it is not a Kaiku export", []byte(`{"format":"kaiku-export","version":2,"images":{}}`)},
		{"cut short inside an image", "it stops being valid JSON at byte", doc(entry(h, planner.ImageJPEG, good))[:3000]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t)
			_, err := s.ImportJSON(ctx, bytes.NewReader(tt.file))
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err %v, want an *ImportError", err)
			}
			if msg := ie.Explain(english); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q, want %q", msg, tt.want)
			}
			if n := keysWithPrefix(t, s, prefixImport) + keysWithPrefix(t, s, prefixImage) + keysWithPrefix(t, s, prefixImageData); n != 0 {
				t.Errorf("%d keys written by a refused import", n)
			}
		})
	}
}

// TestAnImportOfImagesIsAllOrNothing: an import stopped after its images
// are set aside leaves nothing at the next start; one stopped after its
// decision, part way through moving its records, is there whole.
func TestAnImportOfImagesIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	data := [][]byte{imageData(40, 2<<20+5), imageData(41, 600)}
	var posts []planner.Post
	var entries []exportImage
	for i, d := range data {
		h := planner.ImageHash(d)
		entries = append(entries, exportImage{Hash: h, Type: planner.ImageJPEG, Size: int64(len(d)), Data: d})
		posts = append(posts, withImages(fmt.Sprintf("p%d", i), h))
	}
	raw, err := json.Marshal(map[string]any{"format": ExportFormat, "version": 2, "posts": posts, "images": entries})
	if err != nil {
		t.Fatal(err)
	}
	// A batch a record, so that the first image moves before the stop.
	defer func(b int) { stagedBatchBytes = b }(stagedBatchBytes)
	stagedBatchBytes = 1
	for _, stop := range []string{"images set aside", "decided, half moved"} {
		t.Run(stop, func(t *testing.T) {
			dir := t.TempDir()
			s, err := Open(dir, Options{Logger: quietLogger()})
			if err != nil {
				t.Fatal(err)
			}
			// ImportJSON's steps, up to the stop.
			images := importedImages{hashes: map[string]bool{}}
			rest, err := splitImages(bytes.NewReader(raw), func(n int, raw json.RawMessage) error {
				return s.stageImage(ctx, &images, n, raw, time.Now())
			})
			if err != nil {
				t.Fatal(err)
			}
			if stop != "images set aside" {
				recs, _, err := prepareImportWith(rest, time.Now(), images.hashes)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.setAsideFrom(ctx, recs, images.next); err != nil {
					t.Fatal(err)
				}
				if err := s.decide(ctx); err != nil {
					t.Fatal(err)
				}
				// The first image (three parts and its record) moves in one
				// batch; the stop comes inside the second's.
				n, errStop := 0, errors.New("killed")
				err = s.eachStagedBatch(func(txn *badger.Txn, r staged) error {
					if n++; n > 5 {
						return errStop
					}
					return applyRecord(txn, r)
				}, true)
				if !errors.Is(err, errStop) {
					t.Fatalf("the partial apply: %v", err)
				}
				var moved imageRecord
				if err := s.view(func(txn *badger.Txn) error { return get(txn, imageKey(entries[0].Hash), &moved) }); err != nil || moved.Parts != 3 {
					t.Fatalf("the first image did not move before the stop: %v", err)
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = openAt(t, dir)
			checkImages(t, s)
			want := 0
			if stop != "images set aside" {
				want = 2
			}
			if n := keysWithPrefix(t, s, prefixImage); n != want {
				t.Errorf("%d images after the restart, want %d", n, want)
			}
			if n := keysWithPrefix(t, s, prefixImport); n != 0 {
				t.Errorf("%d import records left over", n)
			}
		})
	}
}

func reflectEqual(a, b []planner.Image) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// BenchmarkSaveImage3MB: storing a phone photo's worth of new bytes, synced,
// in parts, with its record.
func BenchmarkSaveImage3MB(b *testing.B) {
	s := openTest(b)
	data := imageData(50, 3<<20)
	b.SetBytes(int64(len(data)))
	i := uint32(0)
	for b.Loop() {
		i++
		binary.BigEndian.PutUint32(data[8:], i) // a new picture each time
		if _, err := s.SaveImage(context.Background(), data); err != nil {
			b.Fatal(err)
		}
	}
}
