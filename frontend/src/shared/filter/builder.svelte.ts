// The condition builder's state: the tree the user edits, the text form
// beside it ("show as text"), and their conversion through Go (the filter's
// own parser is the judge of both forms).
import type { Api, Field, FilterForms, RecordSearch } from '$lib/api';
import { AppError } from '$lib/api/errors';
import {
  arity,
  classOf,
  filterable,
  fromJSON,
  MAX_GROUP_DEPTH,
  newCondition,
  newGroup,
  NotBuildable,
  parseExact,
  opsFor,
  problems,
  toJSON,
  type Condition,
  type Group,
  type Item,
  type JsonNode,
  type Op,
  type Problem,
} from './model';

/**
 * What the builder needs of the API: the two conversions, and (for lookup
 * values by name) the record search and the names of chosen IDs.
 */
export type FilterApi = Pick<Api, 'FilterFromText' | 'FilterFromJSON'> & Partial<Pick<Api, 'SearchRecords' | 'RecordNames'>>;

/** The key of a looked-up record's name: its object and its ID. */
const nameKey = (object: string, id: string) => `${object.toLowerCase()}\u0000${id.toLowerCase()}`;

export class FilterBuilder {
  /** The tree (the top group: an empty one means all records). */
  root = $state<Group>(newGroup('and'));
  /** The object's fields (all of them; the builder offers the filterable ones). */
  fields = $state<Field[]>([]);
  /** "builder" or "text" (show as text). */
  mode = $state<'builder' | 'text'>('builder');
  /** The text form as the user types it (text mode). */
  text = $state('');
  /** The last error from Go for the text (or the tree), in its words. */
  error = $state('');
  /** The text cannot be shown in the builder (NOT, deeper groups): stay in text mode. */
  textOnly = $state(false);
  busy = $state(false);

  /** Names of the records lookup values refer to ("" when no record has the ID). */
  names = $state<Record<string, string>>({});

  /**
   * An object's label in the UI language, by API name, for the words about
   * a lookup's target (the page that has the catalog sets it).
   */
  objectLabel: (apiName: string) => string = (apiName) => apiName;

  #api: FilterApi;
  #connection = '';
  #object = '';

  constructor(api: FilterApi) {
    this.#api = api;
  }

  /** Starts over for an object's fields. */
  reset(connection: string, object: string, fields: Field[]): void {
    this.#connection = connection;
    this.#object = object;
    this.fields = fields;
    this.names = {};
    this.root = newGroup('and');
    this.text = '';
    this.error = '';
    this.textOnly = false;
    this.mode = 'builder';
  }

  /** Whether lookup values can be found by name (the API has the record search). */
  get canSearch(): boolean {
    return !!this.#api.SearchRecords && !!this.#connection;
  }

  /** Finds records of object whose name contains text (null without the search). */
  async searchRecords(object: string, text: string): Promise<RecordSearch | null> {
    if (!this.#api.SearchRecords || !this.#connection) return null;
    const r = await this.#api.SearchRecords(this.#connection, object, text);
    for (const rec of r.records) this.names[nameKey(object, rec.id)] = rec.name;
    return r;
  }

  /** The name of the record of object with id: undefined while unknown, "" when none has it. */
  nameOf(object: string, id: string): string | undefined {
    return this.names[nameKey(object, id)];
  }

  /** Looks up the names of the IDs not known yet (errors leave them unknown). */
  async resolveNames(object: string, ids: readonly string[]): Promise<void> {
    const missing = ids.filter((id) => id.trim() && this.nameOf(object, id) === undefined);
    if (!missing.length || !this.#api.RecordNames || !this.#connection) return;
    try {
      const recs = await this.#api.RecordNames(this.#connection, object, missing);
      const found = new Map(recs.map((r) => [r.id.toLowerCase(), r.name]));
      for (const id of missing) this.names[nameKey(object, id)] = found.get(id.toLowerCase()) ?? '';
    } catch {
      // the names are a help: the IDs still work
    }
  }

  /** The fields offered in a condition's field list. */
  get choices(): Field[] {
    return filterable(this.fields);
  }

  field(name: string): Field | undefined {
    const n = name.toLowerCase();
    return this.fields.find((f) => f.apiName.toLowerCase() === n);
  }

  /** Problems of the tree, found before Go is asked. */
  get problems(): Problem[] {
    return problems(this.root, this.fields);
  }

  /** The JSON form of the tree (null: all records). */
  get json(): JsonNode | null {
    return toJSON(this.root, this.fields);
  }

  /**
   * The filter to send (text form when in text mode, else "" until the tree
   * is valid): what the export and the count use. null means "not ready":
   * the tree has problems.
   */
  get jsonText(): string | null {
    if (this.mode === 'text') return null;
    if (this.problems.length > 0) return null;
    return JSON.stringify(this.json);
  }

  #find(id: number, g: Group = this.root): Group | null {
    if (g.id === id) return g;
    for (const it of g.items) {
      if (it.kind === 'group') {
        const f = this.#find(id, it);
        if (f) return f;
      }
    }
    return null;
  }

  #parentOf(id: number, g: Group = this.root): Group | null {
    for (const it of g.items) {
      if (it.id === id) return g;
      if (it.kind === 'group') {
        const p = this.#parentOf(id, it);
        if (p) return p;
      }
    }
    return null;
  }

  #depth(id: number): number {
    let d = 1;
    let p = this.#parentOf(id);
    while (p) {
      d++;
      p = this.#parentOf(p.id);
    }
    return d;
  }

  /** Adds a condition to a group (the top one by default) on the first field that is not a system field. */
  addCondition(groupId = this.root.id): Condition | null {
    const g = this.#find(groupId);
    if (!g) return null;
    // The first field a person filters on: not the record ID or a system field.
    const f = this.choices.find((c) => !c.system && c.type !== 'uuid') ?? this.choices[0];
    const c = newCondition(f?.apiName ?? '', f ? opsFor(f)[0] : '=');
    g.items.push(c);
    return g.items[g.items.length - 1] as Condition;
  }

  /** Whether a group may hold another group. */
  canNest(groupId: number): boolean {
    return this.#depth(groupId) < MAX_GROUP_DEPTH;
  }

  /** Adds a group (joined the other way than its parent) with one condition. */
  addGroup(groupId = this.root.id): Group | null {
    const g = this.#find(groupId);
    if (!g || !this.canNest(groupId)) return null;
    const sub = newGroup(g.join === 'and' ? 'or' : 'and');
    g.items.push(sub);
    const added = g.items[g.items.length - 1] as Group;
    this.addCondition(added.id);
    return added;
  }

  remove(id: number): void {
    const p = this.#parentOf(id);
    if (!p) return;
    p.items = p.items.filter((i) => i.id !== id);
  }

  setJoin(groupId: number, join: 'and' | 'or'): void {
    const g = this.#find(groupId);
    if (g) g.join = join;
  }

  #cond(id: number): Condition | null {
    const p = this.#parentOf(id);
    const it = p?.items.find((i) => i.id === id);
    return it && it.kind === 'cond' ? it : null;
  }

  /** Picks a field: the operator falls back to the field's first when it does not apply; values reset. */
  setField(id: number, name: string): void {
    const c = this.#cond(id);
    const f = this.field(name);
    if (!c) return;
    c.field = name;
    const ops = f ? opsFor(f) : [];
    if (!ops.includes(c.op)) c.op = ops[0] ?? '=';
    c.value = '';
    c.values = [];
  }

  setOp(id: number, op: Op): void {
    const c = this.#cond(id);
    if (!c) return;
    const was = arity(c.op);
    c.op = op;
    const now = arity(op);
    if (was === 'one' && now === 'list' && c.value.trim()) c.values = [c.value];
    if (was === 'list' && now === 'one') c.value = c.values[0] ?? '';
  }

  setValue(id: number, v: string): void {
    const c = this.#cond(id);
    if (c) c.value = v;
  }

  setValues(id: number, vs: string[]): void {
    const c = this.#cond(id);
    if (c) c.values = vs;
  }

  /** Switches to the text form: Go writes the tree as canonical text. */
  async showText(): Promise<void> {
    this.error = '';
    if (this.problems.length > 0 && this.root.items.length > 0) {
      // An unfinished tree cannot be written; the user types from scratch.
      this.mode = 'text';
      return;
    }
    const forms = await this.#ask(() => this.#api.FilterFromJSON(this.#connection, this.#object, JSON.stringify(this.json)));
    if (forms) this.text = forms.text;
    this.mode = 'text';
  }

  /**
   * Reads the typed text through Go and, when it fits the builder, shows it
   * there. Returns whether the text is a valid filter.
   */
  async applyText(): Promise<boolean> {
    this.error = '';
    if (!this.text.trim()) {
      this.root = newGroup('and');
      this.textOnly = false;
      return true;
    }
    const forms = await this.#ask(() => this.#api.FilterFromText(this.#connection, this.#object, this.text));
    if (!forms) return false;
    try {
      this.root = fromJSON(parseExact(forms.json) as JsonNode | null);
      this.textOnly = false;
    } catch (e) {
      if (!(e instanceof NotBuildable)) throw e;
      this.textOnly = true;
    }
    return true;
  }

  /** Back to the builder with the text read (stays in text mode when the text is invalid or does not fit). */
  async showBuilder(): Promise<void> {
    if ((await this.applyText()) && !this.textOnly) this.mode = 'builder';
  }

  async #ask(fn: () => Promise<FilterForms>): Promise<FilterForms | null> {
    this.busy = true;
    try {
      return await fn();
    } catch (e) {
      this.error = e instanceof AppError ? e.message : String(e);
      return null;
    } finally {
      this.busy = false;
    }
  }

  /** The filter in the text language for the export request ("" = all records), when the tree is ready. */
  async whereText(): Promise<string | null> {
    if (this.mode === 'text') return (await this.applyText()) ? this.text.trim() : null;
    if (this.problems.length > 0) return null;
    const j = this.json;
    if (j === null) return '';
    const forms = await this.#ask(() => this.#api.FilterFromJSON(this.#connection, this.#object, JSON.stringify(j)));
    return forms ? forms.text : null;
  }
}

export { classOf, arity, opsFor, type Item };
