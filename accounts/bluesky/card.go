package bluesky

import (
	"context"

	"github.com/kaiku-app/kaiku/linkcard"
)

// MaxThumbBytes is the largest image a link card may carry.
const MaxThumbBytes = 1_000_000

// LinkCard makes the link card of a page (app.bsky.embed.external): its
// title, description and image, the image uploaded as a blob of at most
// MaxThumbBytes. When the page cannot be had, there is no card (nil); when
// only its image cannot, the card goes without one.
func (c *Client) LinkCard(ctx context.Context, pageURL string) *Embed {
	card, err := linkcard.Fetch(ctx, pageURL, linkcard.Options{HTTP: c.opts.HTTP, UserAgent: c.x.call.UserAgent, MaxImageBytes: MaxThumbBytes})
	if err != nil {
		return nil
	}
	ext := &External{URI: pageURL, Title: card.Title, Description: card.Description}
	if len(card.Image) > 0 {
		if blob, err := c.UploadBlob(ctx, card.Image, card.ImageType); err == nil {
			ext.Thumb = &blob
		}
	}
	return &Embed{Type: "app.bsky.embed.external", External: ext}
}
