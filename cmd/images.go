package cmd

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/kaiku-app/kaiku/media"
	"github.com/kaiku-app/kaiku/planner"
)

// imageFlag collects post add's --image, each with the thread part it goes
// with: that of the --text given before it (the first for one before any).
type imageFlag struct {
	texts *multiFlag
	files []imageFile
}

type imageFile struct {
	path string
	part int
}

func (f *imageFlag) String() string {
	paths := make([]string, len(f.files))
	for i, file := range f.files {
		paths[i] = file.path
	}
	return strings.Join(paths, ", ")
}

func (f *imageFlag) Set(v string) error {
	f.files = append(f.files, imageFile{path: v, part: max(0, len(*f.texts)-1)})
	return nil
}

// attachImages reads and prepares the images of a new post, the nth --alt
// describing the nth --image. It checks them all before anything is saved:
// a fifth image for a post or a part, a file that is missing, unreadable or
// not an image of a kind Kaiku takes is one clear error. It returns the
// post's images and the prepared bytes to store.
func attachImages(files []imageFile, alts []string) ([]planner.Image, [][]byte, error) {
	if len(alts) > len(files) {
		return nil, nil, usagef("error.alt_without_image", "--alt number {{.N}} has no --image to describe", map[string]any{"N": len(files) + 1})
	}
	count := map[int]int{}
	for _, f := range files {
		if count[f.part]++; count[f.part] > planner.MaxImagesPerPart {
			return nil, nil, userErrorf(nil, "error.image.fifth", "{{.File}} would be image number {{.N}} of a post (in a thread, of one part); a post takes at most 4",
				map[string]any{"File": f.path, "N": count[f.part]})
		}
	}
	var images []planner.Image
	var data [][]byte
	for i, f := range files {
		p, err := prepareFile(f.path)
		if err != nil {
			return nil, nil, err
		}
		im := planner.Image{Hash: planner.ImageHash(p.Data), Type: p.Type, Width: p.Width, Height: p.Height, Part: f.part}
		if i < len(alts) {
			im.Alt = alts[i]
		}
		images = append(images, im)
		data = append(data, p.Data)
	}
	return images, data, nil
}

// prepareFile reads an image file and prepares it to store.
func prepareFile(path string) (media.Prepared, error) {
	file, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return media.Prepared{}, userErrorf(err, "error.image.missing", "there is no image file {{.File}}", map[string]any{"File": path})
		}
		return media.Prepared{}, userErrorf(err, "error.image.read", "cannot read the image {{.File}}: {{.Err}}", map[string]any{"File": path, "Err": err})
	}
	defer file.Close()
	// One byte over the limit is enough for Prepare to say the file is too large.
	b, err := io.ReadAll(io.LimitReader(file, media.MaxFileBytes+1))
	if err != nil {
		return media.Prepared{}, userErrorf(err, "error.image.read", "cannot read the image {{.File}}: {{.Err}}", map[string]any{"File": path, "Err": err})
	}
	p, err := media.Prepare(b)
	if err != nil {
		reason := err.Error()
		var me *media.Error
		if errors.As(err, &me) {
			reason = tr(me.Key, me.Fallback, me.Data)
		}
		return media.Prepared{}, userErrorf(err, "error.image.attach", "cannot attach {{.File}}: {{.Reason}}", map[string]any{"File": path, "Reason": reason})
	}
	return p, nil
}
