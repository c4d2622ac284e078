// Package mappingtest builds the demo CRM's objects (DESIGN §2) as
// catalog.Object values for tests of the import pipeline, independent of
// the real demo CRM's code. Labels are plausible, not the contract.
package mappingtest

import "batchdesk/backend/catalog"

func opts(values ...string) []catalog.Option {
	zh := map[string]string{
		"Technology": "科技", "Finance": "金融", "Manufacturing": "制造", "Retail": "零售", "Healthcare": "医疗",
		"Education": "教育", "Energy": "能源", "Logistics": "物流", "Media": "传媒", "Other": "其他",
		"Web": "网站", "Referral": "推荐", "Event": "活动", "Partner": "合作伙伴", "Cold Call": "陌生拜访",
		"Hardware": "硬件", "Software": "软件", "Service": "服务", "Subscription": "订阅",
		"Prospecting": "初步接洽", "Qualification": "需求确认", "Proposal": "方案报价", "Negotiation": "谈判",
		"Won": "赢单", "Lost": "输单", "normal": "正常", "invalid": "作废",
	}
	out := make([]catalog.Option, len(values))
	for i, v := range values {
		out[i] = catalog.Option{Value: v, LabelEN: v, LabelZH: zh[v]}
		if v == "Cold Call" {
			out[i].Value = "cold_call"
		}
	}
	return out
}

func system() []catalog.Field {
	return []catalog.Field{
		{APIName: "id", LabelEN: "ID", LabelZH: "ID", Type: catalog.UUID, Column: "id", Unique: true, System: true, HasDefault: true},
		{APIName: "owner_id", LabelEN: "Owner", LabelZH: "负责人", Type: catalog.Owner, Column: "owner_id", Target: "User", System: true, HasDefault: true},
		{APIName: "created_by", LabelEN: "Created By", LabelZH: "创建人", Type: catalog.Lookup, Column: "created_by", Target: "User", System: true, HasDefault: true},
		{APIName: "created_at", LabelEN: "Created At", LabelZH: "创建时间", Type: catalog.DateTime, Column: "created_at", System: true, HasDefault: true},
		{APIName: "last_modified_by", LabelEN: "Last Modified By", LabelZH: "最后修改人", Type: catalog.Lookup, Column: "last_modified_by", Target: "User", System: true, HasDefault: true},
		{APIName: "last_modified_at", LabelEN: "Last Modified At", LabelZH: "最后修改时间", Type: catalog.DateTime, Column: "last_modified_at", System: true, HasDefault: true},
		{APIName: "life_status", LabelEN: "Life Status", LabelZH: "生命状态", Type: catalog.Picklist, Column: "life_status", System: true, HasDefault: true, Options: opts("normal", "invalid")},
	}
}

func obj(api, en, zh, table, primary, master string, fields ...catalog.Field) catalog.Object {
	return catalog.Object{APIName: api, LabelEN: en, LabelZH: zh, Schema: "crm", Table: table,
		Primary: primary, Master: master, Fields: append(fields, system()...), FromCatalog: true}
}

// Objects returns Account, Contact, Product, Opportunity and
// OpportunityLine with their fields and the system fields.
func Objects() []catalog.Object {
	return []catalog.Object{
		obj("Account", "Account", "客户", "account", "name", "",
			catalog.Field{APIName: "name", LabelEN: "Account Name", LabelZH: "客户名称", Type: catalog.Text, Column: "name", Required: true, MaxLength: 255},
			catalog.Field{APIName: "account_no", LabelEN: "Account Number", LabelZH: "客户编号", Type: catalog.Text, Column: "account_no", Unique: true, MaxLength: 40},
			catalog.Field{APIName: "industry", LabelEN: "Industry", LabelZH: "行业", Type: catalog.Picklist, Column: "industry",
				Options: opts("Technology", "Finance", "Manufacturing", "Retail", "Healthcare", "Education", "Energy", "Logistics", "Media", "Other")},
			catalog.Field{APIName: "annual_revenue", LabelEN: "Annual Revenue", LabelZH: "年收入", Type: catalog.Currency, Column: "annual_revenue", Precision: 18, Scale: 2},
			catalog.Field{APIName: "employees", LabelEN: "Employees", LabelZH: "员工人数", Type: catalog.Integer, Column: "employees"},
			catalog.Field{APIName: "phone", LabelEN: "Phone", LabelZH: "电话", Type: catalog.Phone, Column: "phone", MaxLength: 40},
			catalog.Field{APIName: "email", LabelEN: "Email", LabelZH: "邮箱", Type: catalog.Email, Column: "email", MaxLength: 255},
			catalog.Field{APIName: "website", LabelEN: "Website", LabelZH: "网站", Type: catalog.URL, Column: "website", MaxLength: 255},
			catalog.Field{APIName: "founded_on", LabelEN: "Founded On", LabelZH: "成立日期", Type: catalog.Date, Column: "founded_on"},
			catalog.Field{APIName: "is_key_account", LabelEN: "Key Account", LabelZH: "重点客户", Type: catalog.Boolean, Column: "is_key_account"},
			catalog.Field{APIName: "parent_account_id", LabelEN: "Parent Account", LabelZH: "上级客户", Type: catalog.Lookup, Column: "parent_account_id", Target: "Account"},
			catalog.Field{APIName: "team_read_write", LabelEN: "Team (read/write)", LabelZH: "团队成员（读写）", Type: catalog.RelatedTeam, TeamRole: "read_write"},
			catalog.Field{APIName: "team_read_only", LabelEN: "Team (read only)", LabelZH: "团队成员（只读）", Type: catalog.RelatedTeam, TeamRole: "read_only"},
		),
		obj("Contact", "Contact", "联系人", "contact", "name", "",
			catalog.Field{APIName: "name", LabelEN: "Name", LabelZH: "姓名", Type: catalog.Text, Column: "name", Required: true, MaxLength: 255},
			catalog.Field{APIName: "account_id", LabelEN: "Account", LabelZH: "客户", Type: catalog.Lookup, Column: "account_id", Target: "Account"},
			catalog.Field{APIName: "email", LabelEN: "Email", LabelZH: "邮箱", Type: catalog.Email, Column: "email", Unique: true, MaxLength: 255},
			catalog.Field{APIName: "phone", LabelEN: "Phone", LabelZH: "电话", Type: catalog.Phone, Column: "phone", MaxLength: 40},
			catalog.Field{APIName: "title", LabelEN: "Title", LabelZH: "职位", Type: catalog.Text, Column: "title", MaxLength: 100},
			catalog.Field{APIName: "birthday", LabelEN: "Birthday", LabelZH: "生日", Type: catalog.Date, Column: "birthday"},
			catalog.Field{APIName: "lead_source", LabelEN: "Lead Source", LabelZH: "线索来源", Type: catalog.Picklist, Column: "lead_source",
				Options: opts("Web", "Referral", "Event", "Partner", "Cold Call")},
		),
		obj("Product", "Product", "产品", "product", "name", "",
			catalog.Field{APIName: "name", LabelEN: "Product Name", LabelZH: "产品名称", Type: catalog.Text, Column: "name", Required: true, MaxLength: 255},
			catalog.Field{APIName: "sku", LabelEN: "SKU", LabelZH: "SKU", Type: catalog.Text, Column: "sku", Required: true, Unique: true, MaxLength: 64},
			catalog.Field{APIName: "category", LabelEN: "Category", LabelZH: "类别", Type: catalog.Picklist, Column: "category",
				Options: opts("Hardware", "Software", "Service", "Subscription")},
			catalog.Field{APIName: "unit_price", LabelEN: "Unit Price", LabelZH: "单价", Type: catalog.Currency, Column: "unit_price", Precision: 18, Scale: 2},
			catalog.Field{APIName: "active", LabelEN: "Active", LabelZH: "启用", Type: catalog.Boolean, Column: "active"},
		),
		obj("Opportunity", "Opportunity", "商机", "opportunity", "name", "",
			catalog.Field{APIName: "name", LabelEN: "Opportunity Name", LabelZH: "商机名称", Type: catalog.Text, Column: "name", Required: true, MaxLength: 255},
			catalog.Field{APIName: "account_id", LabelEN: "Account", LabelZH: "客户", Type: catalog.Lookup, Column: "account_id", Target: "Account", Required: true},
			catalog.Field{APIName: "stage", LabelEN: "Stage", LabelZH: "阶段", Type: catalog.Picklist, Column: "stage",
				Options: opts("Prospecting", "Qualification", "Proposal", "Negotiation", "Won", "Lost")},
			catalog.Field{APIName: "amount", LabelEN: "Amount", LabelZH: "金额", Type: catalog.Currency, Column: "amount", Precision: 18, Scale: 2},
			catalog.Field{APIName: "close_date", LabelEN: "Close Date", LabelZH: "预计成交日期", Type: catalog.Date, Column: "close_date"},
			catalog.Field{APIName: "probability", LabelEN: "Probability (%)", LabelZH: "赢率（%）", Type: catalog.Percent, Column: "probability", Precision: 5, Scale: 2},
		),
		obj("OpportunityLine", "Opportunity Line", "商机明细", "opportunity_line", "", "Opportunity",
			catalog.Field{APIName: "opportunity_id", LabelEN: "Opportunity", LabelZH: "商机", Type: catalog.MasterDetail, Column: "opportunity_id", Target: "Opportunity", Required: true},
			catalog.Field{APIName: "product_id", LabelEN: "Product", LabelZH: "产品", Type: catalog.Lookup, Column: "product_id", Target: "Product", Required: true},
			catalog.Field{APIName: "quantity", LabelEN: "Quantity", LabelZH: "数量", Type: catalog.Decimal, Column: "quantity", Required: true, Precision: 12, Scale: 2},
			catalog.Field{APIName: "unit_price", LabelEN: "Unit Price", LabelZH: "单价", Type: catalog.Currency, Column: "unit_price", Precision: 18, Scale: 2},
			catalog.Field{APIName: "discount", LabelEN: "Discount (%)", LabelZH: "折扣（%）", Type: catalog.Percent, Column: "discount", Precision: 5, Scale: 2},
		),
	}
}

// Object returns one object of Objects by API name; it panics on an
// unknown name (tests only).
func Object(name string) *catalog.Object {
	objs := Objects()
	o, err := catalog.Find(objs, name)
	if err != nil {
		panic(err)
	}
	return o
}
