// Package demo is the demo CRM of DESIGN §2: its objects (Account, Contact,
// Product, Opportunity with its lines, and User), their fixed seed records,
// and installing both into a database of either dialect (crmdb.Dialect).
//
// In: a crmdb.Dialect and a crmdb.ExecFunc. Out: []catalog.Object, seed
// rows, installed tables. Errors are wrapped driver errors.
package demo

import (
	"batchdesk/backend/catalog"
	"batchdesk/backend/crm/crmdb"
)

type fieldOpt func(*catalog.Field)

func required(f *catalog.Field) { f.Required = true }
func unique(f *catalog.Field)   { f.Unique = true }
func system(f *catalog.Field)   { f.System = true }
func hasDefault(f *catalog.Field) {
	f.HasDefault = true
}
func maxLen(n int) fieldOpt    { return func(f *catalog.Field) { f.MaxLength = n } }
func target(o string) fieldOpt { return func(f *catalog.Field) { f.Target = o } }
func numeric(p, s int) fieldOpt {
	return func(f *catalog.Field) { f.Precision, f.Scale = p, s }
}
func options(o ...catalog.Option) fieldOpt { return func(f *catalog.Field) { f.Options = o } }
func team(role string) fieldOpt {
	return func(f *catalog.Field) { f.TeamRole, f.Column = role, "" }
}

func fld(api string, t catalog.FieldType, en, zh string, opts ...fieldOpt) catalog.Field {
	f := catalog.Field{APIName: api, LabelEN: en, LabelZH: zh, Type: t, Column: api}
	switch t {
	case catalog.Currency:
		f.Precision, f.Scale = 18, 2
	case catalog.Percent:
		f.Precision, f.Scale = 5, 2
	case catalog.Text, catalog.Email, catalog.URL:
		f.MaxLength = 255
	case catalog.Phone:
		f.MaxLength = 40
	}
	for _, o := range opts {
		o(&f)
	}
	return f
}

func opt(value, zh string) catalog.Option {
	return catalog.Option{Value: value, LabelEN: value, LabelZH: zh}
}

// idField is the system column id, first in every object.
func idField() catalog.Field {
	return fld("id", catalog.UUID, "ID", "记录ID", system, unique, hasDefault)
}

// systemFields are the system columns after the object's own fields.
func systemFields() []catalog.Field {
	return []catalog.Field{
		fld("owner_id", catalog.Owner, "Owner", "负责人", system, hasDefault, target("User")),
		fld("created_by", catalog.Lookup, "Created By", "创建人", system, hasDefault, target("User")),
		fld("created_at", catalog.DateTime, "Created At", "创建时间", system, hasDefault),
		fld("last_modified_by", catalog.Lookup, "Last Modified By", "最后修改人", system, hasDefault, target("User")),
		fld("last_modified_at", catalog.DateTime, "Last Modified At", "最后修改时间", system, hasDefault),
		fld("life_status", catalog.Picklist, "Life Status", "生命状态", system, hasDefault,
			options(catalog.Option{Value: crmdb.LifeNormal, LabelEN: "Normal", LabelZH: "正常"},
				catalog.Option{Value: crmdb.LifeInvalid, LabelEN: "Invalid", LabelZH: "作废"})),
	}
}

func object(api, table, en, zh, primary, master string, own ...catalog.Field) catalog.Object {
	fields := append([]catalog.Field{idField()}, own...)
	fields = append(fields, systemFields()...)
	return catalog.Object{APIName: api, LabelEN: en, LabelZH: zh, Table: table,
		Primary: primary, Master: master, Fields: fields, FromCatalog: true}
}

// Objects returns the demo CRM's objects of DESIGN §2 (plus User) in
// install order: every object comes after the objects it references. The
// result is a fresh copy; Schema is left empty.
func Objects() []catalog.Object {
	return []catalog.Object{
		object("User", crmdb.TableUsers, "User", "用户", "name", "",
			fld("name", catalog.Text, "Name", "姓名", required),
			fld("email", catalog.Email, "Email", "邮箱", unique),
			fld("employee_no", catalog.Text, "Employee No.", "工号", unique, maxLen(40)),
		),
		object("Account", "account", "Account", "客户", "name", "",
			fld("name", catalog.Text, "Account Name", "客户名称", required),
			fld("account_no", catalog.Text, "Account No.", "客户编号", unique, maxLen(40)),
			fld("industry", catalog.Picklist, "Industry", "行业", options(
				opt("Technology", "科技"), opt("Finance", "金融"), opt("Manufacturing", "制造"),
				opt("Retail", "零售"), opt("Healthcare", "医疗"), opt("Education", "教育"),
				opt("Energy", "能源"), opt("Logistics", "物流"), opt("Media", "传媒"),
				opt("Other", "其他"))),
			fld("annual_revenue", catalog.Currency, "Annual Revenue", "年收入"),
			fld("employees", catalog.Integer, "Employees", "员工人数"),
			fld("phone", catalog.Phone, "Phone", "电话"),
			fld("email", catalog.Email, "Email", "邮箱"),
			fld("website", catalog.URL, "Website", "网站"),
			fld("founded_on", catalog.Date, "Founded On", "成立日期"),
			fld("is_key_account", catalog.Boolean, "Key Account", "重点客户"),
			fld("parent_account_id", catalog.Lookup, "Parent Account", "上级客户", target("Account")),
			fld("team_read_write", catalog.RelatedTeam, "Team (Read/Write)", "相关团队（读写）", team(crmdb.RoleReadWrite)),
			fld("team_read_only", catalog.RelatedTeam, "Team (Read Only)", "相关团队（只读）", team(crmdb.RoleReadOnly)),
		),
		object("Product", "product", "Product", "产品", "name", "",
			fld("name", catalog.Text, "Product Name", "产品名称", required),
			fld("sku", catalog.Text, "SKU", "产品编码", required, unique, maxLen(64)),
			fld("category", catalog.Picklist, "Category", "类别", options(
				opt("Hardware", "硬件"), opt("Software", "软件"), opt("Service", "服务"),
				opt("Subscription", "订阅"))),
			fld("unit_price", catalog.Currency, "Unit Price", "单价"),
			fld("active", catalog.Boolean, "Active", "启用"),
		),
		object("Contact", "contact", "Contact", "联系人", "name", "",
			fld("name", catalog.Text, "Contact Name", "联系人姓名", required),
			fld("account_id", catalog.Lookup, "Account", "客户", target("Account")),
			fld("email", catalog.Email, "Email", "邮箱", unique),
			fld("phone", catalog.Phone, "Phone", "电话"),
			fld("title", catalog.Text, "Title", "职务", maxLen(128)),
			fld("birthday", catalog.Date, "Birthday", "生日"),
			fld("lead_source", catalog.Picklist, "Lead Source", "线索来源", options(
				opt("Web", "网站"), opt("Referral", "推荐"), opt("Event", "活动"),
				opt("Partner", "合作伙伴"), opt("Cold Call", "陌生拜访"))),
		),
		object("Opportunity", "opportunity", "Opportunity", "商机", "name", "",
			fld("name", catalog.Text, "Opportunity Name", "商机名称", required),
			fld("account_id", catalog.Lookup, "Account", "客户", required, target("Account")),
			fld("stage", catalog.Picklist, "Stage", "阶段", options(
				opt("Prospecting", "初步接洽"), opt("Qualification", "需求确认"),
				opt("Proposal", "方案报价"), opt("Negotiation", "商务谈判"),
				opt("Won", "赢单"), opt("Lost", "输单"))),
			fld("amount", catalog.Currency, "Amount", "金额"),
			fld("close_date", catalog.Date, "Close Date", "预计成交日期"),
			fld("probability", catalog.Percent, "Probability (%)", "赢率（%）"),
		),
		object("OpportunityLine", "opportunity_line", "Opportunity Line", "商机明细", "", "Opportunity",
			fld("opportunity_id", catalog.MasterDetail, "Opportunity", "商机", required, target("Opportunity")),
			fld("product_id", catalog.Lookup, "Product", "产品", required, target("Product")),
			fld("quantity", catalog.Decimal, "Quantity", "数量", required, numeric(18, 4)),
			fld("unit_price", catalog.Currency, "Unit Price", "单价"),
			fld("discount", catalog.Percent, "Discount (%)", "折扣（%）"),
		),
	}
}
