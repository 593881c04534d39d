package outbox

import (
	"context"
	"fmt"
	"slices"

	"github.com/kaiku-app/kaiku/accounts/explain"
	"github.com/kaiku-app/kaiku/media"
	"github.com/kaiku-app/kaiku/planner"
)

// imagesOf returns the images each part going to the network carries,
// indexed as texts (the post's TextsFor the network). A network that takes
// a thread as one post takes the images of every part with it.
func imagesOf(p planner.Post, texts []string) [][]planner.Image {
	out := make([][]planner.Image, len(texts))
	if len(texts) == 1 && len(p.Texts()) > 1 {
		out[0] = slices.Clone(p.Images)
		return out
	}
	for k := range texts {
		out[k] = p.ImagesOf(k)
	}
	return out
}

// imageRules are the rules the publisher's network holds the post's images to.
func imageRules(ctx context.Context, pub Publisher, n planner.Network) planner.ImageRules {
	if r, ok := pub.(ImageRuler); ok {
		return r.ImageRules(ctx)
	}
	if r := pub.Limits().Images; r.MaxImages > 0 {
		return r
	}
	return planner.ImageRulesFor(n)
}

// imageRefusal is why an account's share of a post cannot go out for its
// images: Part is where, Key what to tell the user, Detail the log's words.
type imageRefusal struct {
	Part   int
	Key    string
	Detail string
}

// partImages makes the images of the parts from next on ready for one
// account before any of them goes out: it checks them against the
// network's rules (planner.CheckImages), reads their bytes and fits each to
// the network's limits (media.Fit leaves one that fits as it is). A refusal
// is the user's to mend; an error is the store's or the run's.
func (o *Outbox) partImages(ctx context.Context, p planner.Post, n planner.Network, pub Publisher, texts []string, next int) ([][]Image, *imageRefusal, error) {
	per := imagesOf(p, texts)
	if !slices.ContainsFunc(per[next:], func(ims []planner.Image) bool { return len(ims) > 0 }) {
		return make([][]Image, len(texts)), nil, nil
	}
	rules := imageRules(ctx, pub, n)
	// What goes out as one post is checked as one.
	sent := planner.Post{Parts: texts}
	if len(texts) == 1 {
		sent = planner.Post{Text: texts[0]}
	}
	for k, ims := range per {
		for _, im := range ims {
			im.Part = k
			sent.Images = append(sent.Images, im)
		}
	}
	for _, pr := range planner.CheckImages(sent, n, rules) {
		if pr.Part >= next {
			return nil, &imageRefusal{Part: pr.Part, Key: explain.For(explain.ImageRules, n), Detail: pr.Error()}, nil
		}
	}
	limits := media.Limits{MaxBytes: rules.MaxBytes, MaxGIFBytes: rules.MaxGIFBytes, MaxPixels: rules.MaxPixels, Types: rules.Types}
	out := make([][]Image, len(texts))
	for k := next; k < len(texts); k++ {
		for i, im := range per[k] {
			data, err := o.images.ImageData(ctx, im.Hash)
			switch {
			case ctx.Err() != nil:
				return nil, nil, ctx.Err()
			case err != nil:
				o.log.WithField("post", p.ID).WithField("image", im.Hash).WithError(err).Warn("cannot read an image of the post")
				return nil, &imageRefusal{Part: k, Key: explain.ImageMissing, Detail: fmt.Sprintf("image %d: %v", i+1, err)}, nil
			}
			up, err := media.Fit(data, limits)
			if err != nil {
				return nil, &imageRefusal{Part: k, Key: explain.For(explain.ImageTooLarge, n), Detail: fmt.Sprintf("image %d: %v", i+1, err)}, nil
			}
			if len(up.Data) != len(data) {
				o.log.WithFields(map[string]any{"post": p.ID, "network": n, "image": i + 1, "from": len(data), "to": len(up.Data),
					"width": up.Width, "height": up.Height}).Info("scaled an image down to the network's limits")
			}
			out[k] = append(out[k], Image{Data: up.Data, Type: up.Type, Alt: im.Alt, Width: up.Width, Height: up.Height})
		}
	}
	return out, nil, nil
}
