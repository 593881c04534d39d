package storage

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/kaiku-app/kaiku/planner"
)

// exportImage is an image as the export holds it: its hash, its type, its
// size and its bytes in standard base64.
type exportImage struct {
	Hash string `json:"hash"`
	Type string `json:"type"`
	Size int64  `json:"size"`
	Data []byte `json:"data"`
}

// importedImages is what an import has set aside of the file's images.
type importedImages struct {
	hashes map[string]bool
	count  int
	next   int // the number of the next record set aside
}

// errImportTooLarge: the document besides its images is over maxImportBytes.
var errImportTooLarge = errors.New("the file is too large")

// jsonStop is a file that stops being JSON, or an export, at offset.
type jsonStop struct {
	offset int64
	what   string
}

func (e *jsonStop) Error() string { return fmt.Sprintf("%s at byte %d", e.what, e.offset) }

// splitImages reads an export document: its "images", which may run to
// gigabytes, one image at a time, handing each to take; the rest whole,
// returned as a document of its own for prepareImport, bounded by
// maxImportBytes. A document that is not a JSON object is returned as it
// is, for prepareImport to say what it is.
func splitImages(r io.Reader, take func(n int, raw json.RawMessage) error) ([]byte, error) {
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 64<<10)
	for {
		c, err := br.ReadByte()
		if err != nil {
			if err == io.EOF {
				return nil, &jsonStop{offset: 0, what: "the file is empty"}
			}
			return nil, err
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			continue
		}
		if err := br.UnreadByte(); err != nil {
			return nil, err
		}
		if c != '{' {
			data, err := io.ReadAll(io.LimitReader(br, maxImportBytes+1))
			if err == nil && len(data) > maxImportBytes {
				err = errImportTooLarge
			}
			return data, err
		}
		break
	}
	dec := json.NewDecoder(br)
	stop := func(err error) error {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return &jsonStop{offset: cr.n, what: "the file ends inside the document"}
		}
		return err
	}
	if _, err := dec.Token(); err != nil {
		return nil, stop(err)
	}
	var doc bytes.Buffer
	doc.WriteByte('{')
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, stop(err)
		}
		key, _ := tok.(string)
		if key == "images" {
			if err := splitList(dec, take); err != nil {
				return nil, stop(err)
			}
			continue
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, stop(err)
		}
		if doc.Len()+len(key)+len(raw) > maxImportBytes {
			return nil, errImportTooLarge
		}
		if doc.Len() > 1 {
			doc.WriteByte(',')
		}
		kb, _ := json.Marshal(key)
		doc.Write(kb)
		doc.WriteByte(':')
		doc.Write(raw)
	}
	if _, err := dec.Token(); err != nil {
		return nil, stop(err)
	}
	// As json.Unmarshal would, refuse what follows the document.
	if _, err := dec.Token(); err != io.EOF {
		return nil, &jsonStop{offset: dec.InputOffset(), what: "something follows the document"}
	}
	doc.WriteByte('}')
	return doc.Bytes(), nil
}

// splitList hands the elements of the list the decoder is at to take, one
// at a time; null is an empty list.
func splitList(dec *json.Decoder, take func(n int, raw json.RawMessage) error) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return &jsonStop{offset: dec.InputOffset(), what: `"images" is not a list`}
	}
	for n := 1; dec.More(); n++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		if err := take(n, raw); err != nil {
			return err
		}
	}
	_, err = dec.Token()
	return err
}

func isJSONError(err error) bool {
	var syntax *json.SyntaxError
	var kind *json.UnmarshalTypeError
	var stop *jsonStop
	return errors.As(err, &syntax) || errors.As(err, &kind) || errors.As(err, &stop)
}

// stageImage checks the file's nth image and sets it aside, its parts and
// then its record, in one transaction.
func (s *Store) stageImage(ctx context.Context, im *importedImages, n int, raw json.RawMessage, now time.Time) error {
	var e exportImage
	if err := decodeStrict(raw, &e); err != nil {
		return itemError("image", n, "", shapeOf[exportImage](raw, err))
	}
	if err := checkExportImage(e); err != nil {
		return itemError("image", n, e.Hash, err)
	}
	if im.hashes[e.Hash] {
		return itemError("image", n, e.Hash, &twiceError{"image"})
	}
	if err := s.spaceForBytes(2 * int64(len(e.Data))); err != nil {
		return err
	}
	var recs []staged
	rec := imageRecord{Type: e.Type, Size: int64(len(e.Data)), Waiting: now}
	for off := 0; off < len(e.Data); off += imagePartBytes {
		part := e.Data[off:min(off+imagePartBytes, len(e.Data))]
		val := append([]byte{encodingImagePart}, part...)
		recs = append(recs, staged{kind: recordImagePart, key: imagePartKey(e.Hash, rec.Parts), val: val})
		rec.Parts++
	}
	val, err := encode(rec)
	if err != nil {
		return err
	}
	recs = append(recs, staged{kind: recordImage, key: imageKey(e.Hash), val: val})
	err = s.update(ctx, func(txn *badger.Txn) error {
		for i, r := range recs {
			if err := txn.Set(stagedKey(im.next+i), r.encode()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	im.next += len(recs)
	im.hashes[e.Hash] = true
	im.count++
	return nil
}

// checkExportImage checks that an image of the file is what it says.
func checkExportImage(e exportImage) error {
	switch {
	case !planner.ValidImageHash(e.Hash):
		return &planner.InvalidError{Field: "hash", Key: "error.image.hash", Msg: "the image's hash is missing or malformed"}
	case len(e.Data) > maxImageBytes:
		return &imageProblem{text: text{key: "import.problem.image_large", fallback: "it is larger than {{.MB}} MB, more than Kaiku stores",
			data: map[string]any{"MB": maxImageBytes >> 20}}, msg: "the image is too large"}
	case planner.ImageHash(e.Data) != e.Hash:
		return &imageProblem{text: text{key: "import.problem.image_hash", fallback: "its data does not match its hash"}, msg: "its data does not match its hash"}
	case planner.ImageTypeOf(e.Data) == "" || planner.ImageTypeOf(e.Data) != e.Type:
		return &imageProblem{text: text{key: "import.problem.image_type", fallback: "its data is not a JPEG, PNG or GIF image"}, msg: "its data is not a " + e.Type + " image"}
	}
	return nil
}

// imageProblem is an image of the file that is not what it says.
type imageProblem struct {
	text text
	msg  string
}

func (e *imageProblem) Error() string { return "invalid: " + e.msg }
func (e *imageProblem) Unwrap() error { return planner.ErrInvalid }

// imageMissingError is a post that names an image the file does not hold.
type imageMissingError struct{ hash string }

func (e *imageMissingError) Error() string {
	return "invalid: it names an image (" + e.hash + ") the file does not hold"
}
func (e *imageMissingError) Unwrap() error { return planner.ErrInvalid }
