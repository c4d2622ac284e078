package export

import (
	"context"
	"os"
	"testing"

	"batchdesk/backend/crm"
)

func TestSmoke(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg crm.Target) {
		for _, req := range []Request{{Object: "Account"}, {Object: "Account", WithIDs: true, SystemFields: true}, {Object: "Opportunity", Related: true, Zip: "x.zip"}} {
			d, dir := folder(t)
			res, err := Run(context.Background(), tg, req, d, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%+v", res)
			for _, f := range res.Files {
				if f.Archive == "" {
					b, _ := os.ReadFile(f.Location)
					if len(b) > 900 {
						b = b[:900]
					}
					t.Logf("%s:\n%s", f.Name, b)
				}
			}
			_ = dir
		}
	})
}
