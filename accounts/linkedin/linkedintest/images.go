package linkedintest

import (
	"bytes"
	"encoding/json"
	"image"
	_ "image/gif"  // uploads are checked as images
	_ "image/jpeg" // uploads are checked as images
	_ "image/png"  // uploads are checked as images
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/kaiku-app/kaiku/accounts/remote/remotetest"
)

// The Images API's endpoints.
const (
	ImagesInit  = "POST /rest/images"
	ImageUpload = "PUT /dms-uploads/:id"
	// ImageStatus is GET /rest/images/{urn}, the URN URL-encoded
	// (urn%3Ali%3Aimage%3A…) as Rest.li 2.0 wants a key in the path.
	ImageStatus = "GET /rest/images/:urn"
)

// An image's statuses, as GET /rest/images/{urn} gives them.
const (
	StatusWaitingUpload    = "WAITING_UPLOAD"
	StatusProcessing       = "PROCESSING"
	StatusAvailable        = "AVAILABLE"
	StatusProcessingFailed = "PROCESSING_FAILED"
)

// The Images API's limits: under 36,152,320 pixels; a post's alt text at
// most 4086 characters; a multiImage 2 to 20 images.
const (
	maxPixels = 36_152_320
	maxAlt    = 4086
)

// Image is an image the server was asked to take.
type Image struct {
	URN, Owner, Type    string
	Size, Width, Height int
	// Uploaded: its bytes came.
	Uploaded bool
	// Status is LinkedIn's: WAITING_UPLOAD until the bytes come, then
	// PROCESSING for Options.ProcessingLooks looks at it, then AVAILABLE
	// (or PROCESSING_FAILED, for one FailProcessing names). Only an
	// AVAILABLE image goes into a post.
	Status string
	// Looks is how many times its status was read.
	Looks int
	fail  bool
}

// PostImage is an image as a post carries it.
type PostImage struct {
	URN, AltText string
}

// AfterUpload calls fn(n) as the server takes the bytes of its nth image
// (from 1), before it answers; nil stops it.
func (s *Server) AfterUpload(fn func(n int)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onUpload = fn
}

// AfterLook calls fn(n) as the server takes its nth look at an image's
// status (from 1, over all images), before it answers; nil stops it.
func (s *Server) AfterLook(fn func(n int)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onLook = fn
}

// FailProcessing makes the nth image uploaded (from 1, as AfterUpload
// counts) end as PROCESSING_FAILED instead of AVAILABLE.
func (s *Server) FailProcessing(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failProcessing = append(s.failProcessing, n)
}

// Images are the images initialized, in order.
func (s *Server) Images() []Image {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Image, 0, len(s.images))
	for _, im := range s.images {
		out = append(out, *im)
	}
	return out
}

func (s *Server) image(urn string) *Image {
	for _, im := range s.images {
		if im.URN == urn {
			return im
		}
	}
	return nil
}

// initializeUpload takes POST /rest/images?action=initializeUpload.
func (s *Server) initializeUpload(w http.ResponseWriter, r *http.Request) {
	if !s.restCall(w, r) {
		return
	}
	if r.URL.Query().Get("action") != "initializeUpload" {
		apiError(w, http.StatusBadRequest, "", "Missing or unknown action")
		return
	}
	var req struct {
		Init *struct {
			Owner string `json:"owner"`
		} `json:"initializeUploadRequest"`
	}
	if json.NewDecoder(r.Body).Decode(&req) != nil || req.Init == nil {
		inputError(w, http.StatusUnprocessableEntity, "/initializeUploadRequest", "ERROR :: /initializeUploadRequest :: field is required but not found and has no default value\n", "FIELD_VALUE_MISSING", "Field is required")
		return
	}
	if req.Init.Owner != s.AuthorURN() {
		apiError(w, http.StatusForbidden, "ACCESS_DENIED", "Not enough permissions to access: images.ACTION."+r.Header.Get("LinkedIn-Version")+"01 as "+req.Init.Owner)
		return
	}
	s.nextID++
	id := "D4E10AQ" + strconv.FormatInt(s.nextID, 10)
	im := &Image{URN: "urn:li:image:" + id, Owner: req.Init.Owner, Status: StatusWaitingUpload}
	s.images = append(s.images, im)
	remotetest.WriteJSON(w, http.StatusOK, map[string]any{"value": map[string]any{
		"uploadUrlExpiresAt": s.opts.Now().Add(24 * time.Hour).UnixMilli(),
		"uploadUrl":          s.URL + "/dms-uploads/" + id + "/uploadedImage/0?ca=vector_feedshare&cn=uploads&m=AQ" + randomString(12),
		"image":              im.URN,
	}})
}

// upload takes the bytes PUT to an upload address.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	if s.bearer(w, r, "w_member_social") == nil {
		return
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/dms-uploads/"), "/")
	im := s.image("urn:li:image:" + id)
	if im == nil || im.Uploaded {
		apiError(w, http.StatusBadRequest, "", "The upload address is not valid")
		return
	}
	data, _ := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width*cfg.Height >= maxPixels {
		apiError(w, http.StatusBadRequest, "", "The image could not be processed")
		return
	}
	im.Type, im.Size, im.Width, im.Height, im.Uploaded = "image/"+format, len(data), cfg.Width, cfg.Height, true
	s.uploads++
	im.fail = slices.Contains(s.failProcessing, s.uploads)
	im.Status = StatusProcessing
	if s.opts.ProcessingLooks == 0 {
		s.settle(im)
	}
	if s.onUpload != nil {
		s.onUpload(s.uploads)
	}
	w.WriteHeader(http.StatusCreated)
}

// settle ends an image's processing.
func (s *Server) settle(im *Image) {
	im.Status = StatusAvailable
	if im.fail {
		im.Status = StatusProcessingFailed
	}
}

// imageStatus takes GET /rest/images/{urn}: the image as LinkedIn has it.
// The URN must come URL-encoded.
func (s *Server) imageStatus(w http.ResponseWriter, r *http.Request) {
	if !s.restCall(w, r) {
		return
	}
	key, ok := strings.CutPrefix(r.URL.EscapedPath(), "/rest/images/")
	urn, err := url.PathUnescape(key)
	if !ok || err != nil || !strings.HasPrefix(key, "urn%3Ali%3Aimage%3A") || strings.Contains(urn, "/") {
		apiError(w, http.StatusBadRequest, "", "Syntax exception in path variables")
		return
	}
	im := s.image(urn)
	if im == nil || im.Owner != s.AuthorURN() {
		apiError(w, http.StatusNotFound, "RESOURCE_NOT_FOUND", "Not found: "+urn)
		return
	}
	im.Looks++
	s.looks++
	if s.onLook != nil {
		s.onLook(s.looks)
	}
	if im.Status == StatusProcessing && im.Looks > s.opts.ProcessingLooks {
		// Finished as this look sees it, not before: a post sent after a
		// look that found it PROCESSING is refused.
		s.settle(im)
	}
	body := map[string]any{"id": im.URN, "owner": im.Owner, "status": im.Status}
	if im.Status == StatusAvailable {
		body["downloadUrl"] = s.URL + "/dms/image/" + strings.TrimPrefix(im.URN, "urn:li:image:")
		body["downloadUrlExpiresAt"] = s.opts.Now().Add(24 * time.Hour).UnixMilli()
	}
	remotetest.WriteJSON(w, http.StatusOK, body)
}

// restCall checks what every call to /rest/ must carry; false means it answered.
func (s *Server) restCall(w http.ResponseWriter, r *http.Request) bool {
	if s.bearer(w, r, "w_member_social") == nil {
		return false
	}
	if v := r.Header.Get("LinkedIn-Version"); v == "" {
		apiError(w, http.StatusBadRequest, "VERSION_MISSING", "A version must be present. Please specify a version by adding the LinkedIn-Version header.")
		return false
	} else if served, _ := versionServed(v, s.opts.Now()); !served {
		apiError(w, http.StatusUpgradeRequired, "NONEXISTENT_VERSION", "Requested version "+v+" is not active")
		return false
	}
	if r.Header.Get("X-Restli-Protocol-Version") != "2.0.0" {
		apiError(w, http.StatusBadRequest, "", "X-Restli-Protocol-Version must be 2.0.0")
		return false
	}
	return true
}

// readContent reads a post's content: one image as media, or a multiImage
// of 2 to 20; every image uploaded by the post's author. The message is
// the path at fault and why, "" when the content is good.
func (s *Server) readContent(raw json.RawMessage, author string) ([]PostImage, string, string) {
	var c struct {
		Media *struct {
			ID      string  `json:"id"`
			AltText *string `json:"altText"`
		} `json:"media"`
		MultiImage *struct {
			Images []struct {
				ID      string  `json:"id"`
				AltText *string `json:"altText"`
			} `json:"images"`
		} `json:"multiImage"`
	}
	if json.Unmarshal(raw, &c) != nil || (c.Media == nil) == (c.MultiImage == nil) {
		return nil, "/content", "is not a union with exactly one member"
	}
	type item struct {
		id  string
		alt *string
	}
	var items []item
	path := "/content/media"
	if c.Media != nil {
		items = append(items, item{c.Media.ID, c.Media.AltText})
	} else {
		path = "/content/multiImage/images"
		if n := len(c.MultiImage.Images); n < 2 || n > 20 {
			return nil, path, "must have 2 to 20 images"
		}
		for _, im := range c.MultiImage.Images {
			items = append(items, item{im.ID, im.AltText})
		}
	}
	var out []PostImage
	for _, it := range items {
		im := s.image(it.id)
		if im == nil || im.Owner != author {
			return nil, path, "is not an image of the author: " + it.id
		}
		if im.Status != StatusAvailable {
			// LinkedIn's own refusal of an image it has not finished.
			return nil, path, "image " + it.id + " is in status " + im.Status + ", not AVAILABLE"
		}
		pi := PostImage{URN: it.id}
		if it.alt != nil {
			if len(utf16.Encode([]rune(*it.alt))) > maxAlt {
				return nil, path, "altText is longer than 4086 characters"
			}
			pi.AltText = *it.alt
		}
		out = append(out, pi)
	}
	return out, "", ""
}
