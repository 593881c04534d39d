package cmd

import (
	"context"

	"github.com/kaiku-app/kaiku/fetch"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/reading"
	"github.com/kaiku-app/kaiku/ui"
)

var _ ui.ReadingList = (*reading.List)(nil)

// fetchKit gets an organization's kit from its address for the window.
func fetchKit(e *env) func(ctx context.Context, address string) ([]byte, error) {
	web := webClient(e, planner.MaxOrgKitBytes)
	return func(ctx context.Context, address string) ([]byte, error) {
		resp, err := web.Get(ctx, fetch.Request{URL: address, Accept: "application/json, */*;q=0.5"})
		if err != nil {
			return nil, reading.ExplainFetch(err, address, e.now())
		}
		return resp.Body, nil
	}
}
