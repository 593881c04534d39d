package xtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	_ "image/gif"  // uploads are checked as images
	_ "image/jpeg" // uploads are checked as images
	_ "image/png"  // uploads are checked as images
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The media endpoints of the v2 API.
const (
	MediaUpload   = "POST /2/media/upload"
	MediaInit     = "POST /2/media/upload/initialize"
	MediaAppend   = "POST /2/media/upload/:id/append"
	MediaFinalize = "POST /2/media/upload/:id/finalize"
	MediaStatus   = "GET /2/media/upload"
	MediaMetadata = "POST /2/media/metadata"
)

// X's limits on an image: 5 MB a picture, 15 MB a GIF, four a post, 1000
// characters of alt text.
const (
	MaxImageBytes = 5 << 20
	MaxGIFBytes   = 15 << 20
	maxPostMedia  = 4
	maxAlt        = 1000
)

// Media is an upload the server took.
type Media struct {
	ID, Key, Type, Category string
	Owner                   string // the user who uploaded it
	Size, Width, Height     int
	Alt                     string
	Chunked                 bool
	// Ready: finalized (a one-request upload is at once) and processed.
	Ready    bool
	total    int
	segments [][]byte
	looks    int // status looks left before processing succeeds
}

// SetProcessLooks makes a GIF's upload pending after finalize, and its
// status in progress that many looks, before it succeeds.
func (s *Server) SetProcessLooks(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.ProcessLooks = n
}

// Media are the uploads, in order.
func (s *Server) Media() []Media {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Media, 0, len(s.media))
	for _, m := range s.media {
		out = append(out, *m)
	}
	return out
}

func (s *Server) findMedia(id string) *Media {
	for _, m := range s.media {
		if m.ID == id {
			return m
		}
	}
	return nil
}

func invalidRequest(w http.ResponseWriter, msg string) {
	b, _ := json.Marshal(map[string]any{"errors": []map[string]any{{"parameters": map[string]any{}, "message": msg}},
		"title": "Invalid Request", "detail": "One or more parameters to your request was invalid.", "type": "https://api.twitter.com/2/problems/invalid-request"})
	writeRaw(w, http.StatusBadRequest, "application/problem+json", string(b))
}

// mediaEndpoint names a request to the media API, with the media ID in its path.
func mediaEndpoint(method, path string) (endpoint, id string) {
	rest, ok := strings.CutPrefix(path, "/2/media/upload/")
	if method != http.MethodPost || !ok || rest == "initialize" {
		return method + " " + path, ""
	}
	if id, ok := strings.CutSuffix(rest, "/append"); ok {
		return MediaAppend, id
	}
	if id, ok := strings.CutSuffix(rest, "/finalize"); ok {
		return MediaFinalize, id
	}
	return method + " " + path, ""
}

// checkImage reads what an image is and refuses what X refuses.
func (s *Server) checkImage(data []byte, mimeType string) (image.Config, string) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	switch {
	case err != nil || "image/"+format != mimeType:
		return cfg, "media type unrecognized."
	case format == "gif" && len(data) > MaxGIFBytes, format != "gif" && len(data) > MaxImageBytes:
		return cfg, fmt.Sprintf("File size exceeds %d bytes.", map[bool]int{true: MaxGIFBytes, false: MaxImageBytes}[format == "gif"])
	}
	return cfg, ""
}

func (s *Server) newMedia(owner, typ, category string) *Media {
	s.nextID++
	m := &Media{ID: strconv.FormatInt(s.nextID, 10), Type: typ, Category: category, Owner: owner}
	m.Key = "3_" + m.ID
	s.media = append(s.media, m)
	return m
}

// uploadOnce takes a one-request upload: a multipart form with media,
// media_category and media_type.
func (s *Server) uploadOnce(w http.ResponseWriter, r *http.Request, tok *accessToken) {
	data, fields, ok := multipartMedia(r)
	if !ok {
		invalidRequest(w, "The media parameter is missing.")
		return
	}
	if c := fields.Get("media_category"); c != "tweet_image" {
		invalidRequest(w, "The media_category parameter is invalid for a one-request upload: "+c)
		return
	}
	cfg, msg := s.checkImage(data, fields.Get("media_type"))
	if msg != "" {
		invalidRequest(w, msg)
		return
	}
	m := s.newMedia(tok.userID, fields.Get("media_type"), "tweet_image")
	m.Size, m.Width, m.Height, m.Ready = len(data), cfg.Width, cfg.Height, true
	writeJSON(w, http.StatusOK, map[string]any{"data": s.mediaJSON(m)})
}

func multipartMedia(r *http.Request) ([]byte, mimeValues, bool) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") || r.ParseMultipartForm(32<<20) != nil {
		return nil, nil, false
	}
	f, _, err := r.FormFile("media")
	if err != nil {
		return nil, nil, false
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil || len(data) == 0 {
		return nil, nil, false
	}
	return data, mimeValues(r.MultipartForm.Value), true
}

type mimeValues map[string][]string

func (v mimeValues) Get(k string) string {
	if len(v[k]) == 0 {
		return ""
	}
	return v[k][0]
}

func (s *Server) mediaJSON(m *Media) map[string]any {
	d := map[string]any{"id": m.ID, "media_key": m.Key, "expires_after_secs": 86400}
	if m.Size > 0 {
		d["size"] = m.Size
	}
	return d
}

// initUpload takes POST /2/media/upload/initialize, a JSON body.
func (s *Server) initUpload(w http.ResponseWriter, r *http.Request, tok *accessToken) {
	var req struct {
		MediaType     string `json:"media_type"`
		TotalBytes    int    `json:"total_bytes"`
		MediaCategory string `json:"media_category"`
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || json.NewDecoder(r.Body).Decode(&req) != nil {
		writeRaw(w, http.StatusBadRequest, "application/problem+json", BodyInvalid)
		return
	}
	switch {
	case !slices.Contains([]string{"image/jpeg", "image/png", "image/gif", "image/webp"}, req.MediaType):
		invalidRequest(w, "The media_type parameter is invalid.")
		return
	case req.MediaCategory != "tweet_image" && req.MediaCategory != "tweet_gif":
		invalidRequest(w, "The media_category parameter is invalid.")
		return
	case req.TotalBytes <= 0 || req.TotalBytes > MaxGIFBytes || req.MediaCategory == "tweet_image" && req.TotalBytes > MaxImageBytes:
		invalidRequest(w, "The total_bytes parameter is invalid.")
		return
	}
	m := s.newMedia(tok.userID, req.MediaType, req.MediaCategory)
	m.Chunked, m.total = true, req.TotalBytes
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"id": m.ID, "media_key": m.Key, "expires_after_secs": 86400}})
}

// appendUpload takes one part: segment_index and media, in order.
func (s *Server) appendUpload(w http.ResponseWriter, r *http.Request, tok *accessToken, id string) {
	m := s.findMedia(id)
	data, fields, ok := multipartMedia(r)
	switch {
	case m == nil || m.Owner != tok.userID || !m.Chunked || m.Ready:
		invalidRequest(w, "The media_id parameter is invalid.")
	case !ok:
		invalidRequest(w, "The media parameter is missing.")
	case fields.Get("segment_index") != strconv.Itoa(len(m.segments)):
		invalidRequest(w, "The segment_index parameter is out of order.")
	default:
		m.segments = append(m.segments, data)
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"data":{"expires_at":1700000000}}`)
	}
}

// finalize joins the parts, which must make total_bytes, and checks the image.
func (s *Server) finalize(w http.ResponseWriter, tok *accessToken, id string) {
	m := s.findMedia(id)
	if m == nil || m.Owner != tok.userID || !m.Chunked || m.Ready || m.Size > 0 {
		invalidRequest(w, "The media_id parameter is invalid.")
		return
	}
	data := bytes.Join(m.segments, nil)
	if len(data) != m.total {
		invalidRequest(w, fmt.Sprintf("File size %d does not match total_bytes %d.", len(data), m.total))
		return
	}
	cfg, msg := s.checkImage(data, m.Type)
	if msg != "" {
		invalidRequest(w, msg)
		return
	}
	m.Size, m.Width, m.Height, m.segments = len(data), cfg.Width, cfg.Height, nil
	d := s.mediaJSON(m)
	if m.Category == "tweet_gif" && s.opts.ProcessLooks > 0 {
		m.looks = s.opts.ProcessLooks
		d["processing_info"] = map[string]any{"state": "pending", "check_after_secs": 1}
	} else {
		m.Ready = true
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": d})
}

// status answers GET /2/media/upload?command=STATUS&media_id=….
func (s *Server) status(w http.ResponseWriter, r *http.Request, tok *accessToken) {
	q := r.URL.Query()
	m := s.findMedia(q.Get("media_id"))
	if q.Get("command") != "STATUS" || m == nil || m.Owner != tok.userID || m.Size == 0 {
		invalidRequest(w, "The media_id parameter is invalid.")
		return
	}
	d := s.mediaJSON(m)
	if !m.Ready {
		m.looks--
		if m.looks <= 0 {
			m.Ready = true
			d["processing_info"] = map[string]any{"state": "succeeded", "progress_percent": 100}
		} else {
			d["processing_info"] = map[string]any{"state": "in_progress", "check_after_secs": 1, "progress_percent": 50}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": d})
}

// metadata takes an alt text: {"id", "metadata": {"alt_text": {"text"}}}.
func (s *Server) metadata(w http.ResponseWriter, r *http.Request, tok *accessToken) {
	var req struct {
		ID       string `json:"id"`
		Metadata struct {
			AltText *struct {
				Text string `json:"text"`
			} `json:"alt_text"`
		} `json:"metadata"`
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || json.NewDecoder(r.Body).Decode(&req) != nil {
		writeRaw(w, http.StatusBadRequest, "application/problem+json", BodyInvalid)
		return
	}
	m := s.findMedia(req.ID)
	switch {
	case m == nil || m.Owner != tok.userID || m.Size == 0:
		invalidRequest(w, "The id parameter is invalid.")
	case req.Metadata.AltText == nil:
		invalidRequest(w, "The metadata parameter is invalid.")
	case utf8.RuneCountInString(req.Metadata.AltText.Text) > maxAlt:
		invalidRequest(w, "The alt_text text must be at most 1000 characters.")
	default:
		m.Alt = req.Metadata.AltText.Text
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"associated_metadata": true, "id": m.ID}})
	}
}

// checkPostMedia refuses what X refuses of a post's media.media_ids.
func (s *Server) checkPostMedia(owner string, ids []string) string {
	if len(ids) > maxPostMedia {
		return "Your media IDs are invalid."
	}
	for i, id := range ids {
		m := s.findMedia(id)
		if m == nil || m.Owner != owner || !m.Ready || slices.Contains(ids[:i], id) {
			return "Your media IDs are invalid."
		}
	}
	return ""
}
