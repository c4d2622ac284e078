package catalog

import "testing"

func TestPrettify(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"snake", "parent_account_id", "Parent Account ID"},
		{"camel", "parentAccountId", "Parent Account ID"},
		{"pascal acronym", "HTTPServer", "HTTP Server"},
		{"single", "name", "Name"},
		{"digits", "address_line2", "Address Line2"},
		{"url", "website_url", "Website URL"},
		{"number suffix", "account_no", "Account No."},
		{"leading underscore", "_tmp", "Tmp"},
		{"empty", "", ""},
		{"chinese", "客户_名称", "客户 名称"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Prettify(tt.in); got != tt.want {
				t.Errorf("Prettify(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
