package ui

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/media"
	"github.com/kaiku-app/kaiku/planner"
)

// thumbSize is the side of an image's thumbnail in the composer.
const thumbSize = 72

// partImage is one picture in a part's box: its thumbnail, its alt text
// beside it and a button that takes it out.
type partImage struct {
	image planner.Image
	thumb *canvas.Image
	alt   *widget.Entry
	row   *fyne.Container
}

// newPartImage shows im; data are its bytes for the thumbnail, or nil while
// they are read from the store.
func (c *Composer) newPartImage(b *partBox, im planner.Image, data []byte) *partImage {
	pi := &partImage{image: im}
	pi.thumb = &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScaleFastest}
	pi.thumb.SetMinSize(fyne.NewSize(thumbSize, thumbSize))
	if data != nil {
		pi.setThumb(data)
	}
	pi.alt = widget.NewMultiLineEntry()
	pi.alt.Wrapping = fyne.TextWrapWord
	pi.alt.SetMinRowsVisible(2)
	pi.alt.SetPlaceHolder(lang.X("compose.image.alt", "Describe the picture for those who cannot see it"))
	pi.alt.SetText(im.Alt)
	pi.alt.OnChanged = func(s string) {
		if len([]rune(s)) > planner.MaxAltLength {
			pi.alt.SetText(string([]rune(s)[:planner.MaxAltLength]))
			return
		}
		pi.image.Alt = s
		if !c.editing {
			c.markDirty()
			c.updateChecks()
		}
	}
	remove := &widget.Button{Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: func() { c.removeImage(b, pi) }}
	pi.row = container.NewBorder(nil, nil, pi.thumb, remove, pi.alt)
	return pi
}

func (pi *partImage) setThumb(data []byte) {
	pi.thumb.Resource = fyne.NewStaticResource(pi.image.Hash, data)
	pi.thumb.Refresh()
}

// layoutImages shows the part's pictures, and its Add image button while
// the part takes more.
func (b *partBox) layoutImages() {
	objs := make([]fyne.CanvasObject, 0, len(b.images)+1)
	for _, pi := range b.images {
		objs = append(objs, pi.row)
	}
	setEnabled(b.addImage, len(b.images) < planner.MaxImagesPerPart && !b.c.readOnly())
	objs = append(objs, container.NewHBox(b.addImage))
	b.extras.Objects = objs
	b.extras.Refresh()
}

// readOnly reports whether the post went out and cannot be changed.
func (c *Composer) readOnly() bool { return c.post.ID != "" && !c.post.Status.Editable() }

// pickImage lets the user choose a picture for the part.
func (c *Composer) pickImage(b *partBox) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			showError(c.win, c.deps.Log, "choose image", err)
			return
		}
		if r == nil {
			return
		}
		c.attachImage(b, r.URI().Name(), r)
	}, c.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".jpg", ".jpeg", ".png", ".gif", ".webp", ".JPG", ".JPEG", ".PNG"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// attachImage reads a picture, prepares it (upright, without the camera's
// and the place's details, in a type every network takes) and stores it
// off the UI goroutine, then shows it in the part. The post names it from
// its next save; an image no post names is let go after a day.
func (c *Composer) attachImage(b *partBox, name string, r io.ReadCloser) {
	c.info.SetText(lang.X("compose.image.adding", "Adding {{.File}}…", map[string]any{"File": name}))
	c.deps.write(func() {
		defer r.Close()
		var p media.Prepared
		data, err := io.ReadAll(io.LimitReader(r, media.MaxFileBytes+1))
		if err == nil {
			p, err = media.Prepare(data)
		}
		hash := ""
		if err == nil {
			ctx, cancel := c.deps.ctx()
			hash, err = c.deps.Store.SaveImage(ctx, p.Data)
			cancel()
		}
		c.deps.do(func() {
			c.info.SetText("")
			if err != nil {
				c.imageError(name, err)
				return
			}
			if indexOf(c.boxes, b) < 0 || len(b.images) >= planner.MaxImagesPerPart {
				return // the part went meanwhile, or filled up
			}
			pi := c.newPartImage(b, planner.Image{Hash: hash, Type: p.Type, Width: p.Width, Height: p.Height}, p.Data)
			b.images = append(b.images, pi)
			b.layoutImages()
			c.markDirty()
			c.updateChecks()
			c.win.Canvas().Focus(pi.alt)
		})
	})
}

// imageError says why a picture could not be added.
func (c *Composer) imageError(name string, err error) {
	var me *media.Error
	if errors.As(err, &me) {
		c.deps.Log.WithError(err).Info("image refused")
		showDialog(c.win, dialog.NewError(errors.New(lang.X("compose.image.refused", "Kaiku cannot add {{.File}}: {{.Reason}}",
			map[string]any{"File": filepath.Base(name), "Reason": lang.X(me.Key, me.Fallback, me.Data)})), c.win), nil)
		return
	}
	showError(c.win, c.deps.Log, "add image", fmt.Errorf("add image %s: %w", name, err))
}

func (c *Composer) removeImage(b *partBox, pi *partImage) {
	i := indexOf(b.images, pi)
	if i < 0 {
		return
	}
	b.images = append(b.images[:i], b.images[i+1:]...)
	b.layoutImages()
	c.markDirty()
	c.updateChecks()
}

// showImages puts the post's pictures in their parts' boxes, and reads
// their bytes for the thumbnails off the UI goroutine.
func (c *Composer) showImages(p planner.Post) {
	for _, b := range c.boxes {
		b.images = nil
	}
	var shown []*partImage
	for _, im := range p.Images {
		part := min(im.Part, len(c.boxes)-1)
		b := c.boxes[part]
		pi := c.newPartImage(b, im, nil)
		b.images = append(b.images, pi)
		shown = append(shown, pi)
	}
	for _, b := range c.boxes {
		b.layoutImages()
	}
	if len(shown) == 0 {
		return
	}
	c.deps.background(func() {
		ctx, cancel := c.deps.ctx()
		defer cancel()
		for _, pi := range shown {
			data, err := c.deps.Store.ImageData(ctx, pi.image.Hash)
			if err != nil {
				c.deps.Log.WithError(err).Warn("read an image for its thumbnail")
				continue
			}
			c.deps.do(func() { pi.setThumb(data) })
		}
	})
}

// images are the post's pictures as the boxes hold them, each with its part.
func (c *Composer) images() []planner.Image {
	var out []planner.Image
	part := 0
	for _, b := range c.boxes {
		if !c.kept(b) {
			continue
		}
		for _, pi := range b.images {
			im := pi.image
			im.Part = part
			out = append(out, im)
		}
		part++
	}
	return out
}
