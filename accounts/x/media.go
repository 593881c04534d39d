package x

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"time"

	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// ChunkBytes is the size of one part of a chunked upload; an image larger
// than this (and every GIF, which X processes) goes in parts
// (initialize, append, finalize), a smaller one in one request.
const ChunkBytes = 1 << 20

// The bounds of the wait for an upload X processes after finalize: it is
// looked at as X's check_after_secs says (1 to 10 seconds), at most
// maxStatusLooks times.
const (
	maxStatusLooks = 30
	maxStatusWait  = 10 * time.Second
)

// media is X's answer about an upload.
type media struct {
	ID         string `json:"id"`
	Processing *struct {
		State      string `json:"state"` // pending, in_progress, succeeded, failed
		CheckAfter int    `json:"check_after_secs"`
		Error      *struct {
			Message string `json:"message"`
		} `json:"error"`
	} `json:"processing_info"`
}

// UploadImage uploads an image through the v2 media upload and gives it
// its alt text (POST /2/media/metadata), returning the media ID a post
// carries. An upload publishes nothing: one repeated after a failure
// leaves an unused upload, which X lets expire.
func (c *Client) UploadImage(ctx context.Context, data []byte, mimeType, alt string) (string, error) {
	const op = "upload an image"
	category := "tweet_image"
	if mimeType == planner.ImageGIF {
		category = "tweet_gif"
	}
	var m media
	var err error
	if len(data) <= ChunkBytes && category == "tweet_image" {
		m, err = c.uploadOnce(ctx, op, data, mimeType, category)
	} else {
		m, err = c.uploadChunked(ctx, op, data, mimeType, category)
	}
	if err != nil {
		return "", err
	}
	if alt != "" {
		body := map[string]any{"id": m.ID, "metadata": map[string]any{"alt_text": map[string]string{"text": alt}}}
		if err := c.send(ctx, http.MethodPost, "/2/media/metadata", "give an image its alt text", nil, body, false, nil); err != nil {
			return "", err
		}
	}
	return m.ID, nil
}

// uploadOnce sends a small image in one request (POST /2/media/upload).
func (c *Client) uploadOnce(ctx context.Context, op string, data []byte, mimeType, category string) (media, error) {
	var r struct {
		Data media `json:"data"`
	}
	fields := [][2]string{{"media_category", category}, {"media_type", mimeType}}
	if err := c.multipart(ctx, "/2/media/upload", op, fields, data, &r); err != nil {
		return media{}, err
	}
	if r.Data.ID == "" {
		return media{}, remote.Unexpected(planner.NetworkX, op, http.StatusOK, "the answer has no media ID", false)
	}
	return r.Data, nil
}

// uploadChunked sends an image in parts of ChunkBytes: initialize, append
// each, finalize, then waits while X processes it.
func (c *Client) uploadChunked(ctx context.Context, op string, data []byte, mimeType, category string) (media, error) {
	var init struct {
		Data media `json:"data"`
	}
	body := map[string]any{"media_type": mimeType, "total_bytes": len(data), "media_category": category}
	if err := c.send(ctx, http.MethodPost, "/2/media/upload/initialize", op, nil, body, false, &init); err != nil {
		return media{}, err
	}
	id := init.Data.ID
	if id == "" {
		return media{}, remote.Unexpected(planner.NetworkX, op, http.StatusOK, "the answer has no media ID", false)
	}
	path := "/2/media/upload/" + url.PathEscape(id)
	for i := 0; i*ChunkBytes < len(data); i++ {
		chunk := data[i*ChunkBytes : min((i+1)*ChunkBytes, len(data))]
		if err := c.multipart(ctx, path+"/append", op, [][2]string{{"segment_index", strconv.Itoa(i)}}, chunk, nil); err != nil {
			return media{}, err
		}
	}
	var fin struct {
		Data media `json:"data"`
	}
	if err := c.send(ctx, http.MethodPost, path+"/finalize", op, nil, nil, false, &fin); err != nil {
		return media{}, err
	}
	m := fin.Data
	if m.ID == "" {
		m.ID = id
	}
	for look := 0; m.Processing != nil; look++ {
		switch m.Processing.State {
		case "succeeded":
			return m, nil
		case "failed":
			detail := "X could not process the image"
			if m.Processing.Error != nil && m.Processing.Error.Message != "" {
				detail = m.Processing.Error.Message
			}
			return media{}, &remote.Error{Network: planner.NetworkX, Op: op, Kind: remote.KindRejected, Detail: detail}
		}
		if look >= maxStatusLooks {
			return media{}, &remote.Error{Network: planner.NetworkX, Op: op, Kind: remote.KindServer,
				Detail: fmt.Sprintf("X was still processing the image after %d looks", maxStatusLooks)}
		}
		wait := min(max(time.Duration(m.Processing.CheckAfter)*time.Second, time.Second), maxStatusWait)
		if err := c.sleep(ctx, wait); err != nil {
			return media{}, &remote.Error{Network: planner.NetworkX, Op: op, Kind: remote.KindNetwork, Err: err}
		}
		var st struct {
			Data media `json:"data"`
		}
		q := url.Values{"command": {"STATUS"}, "media_id": {id}}
		if err := c.send(ctx, http.MethodGet, "/2/media/upload", "wait for an uploaded image", q, nil, false, &st); err != nil {
			return media{}, err
		}
		m = st.Data
	}
	return m, nil
}

// multipart sends a multipart/form-data POST of fields and the bytes as
// the "media" field. Its body is not signed (OAuth 1.0a signs only a
// urlencoded form's), as X expects.
func (c *Client) multipart(ctx context.Context, path, op string, fields [][2]string, data []byte, v any) error {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			return &remote.Error{Network: planner.NetworkX, Op: op, Err: err}
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="media"; filename="media"`)
	h.Set("Content-Type", "application/octet-stream")
	part, err := w.CreatePart(h)
	if err == nil {
		_, err = part.Write(data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return &remote.Error{Network: planner.NetworkX, Op: op, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, &body)
	if err != nil {
		return &remote.Error{Network: planner.NetworkX, Op: op, Err: err}
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.call.DoJSON(req, op, false, v, c.apiError)
}
