// The objects of the connection selected in the header, to name a job's or
// a schedule's object by its label in the UI language (the API name as its
// tooltip). Other connections' objects, and objects the list lacks, keep
// their API name: the labels are a nicety, never a wait.
import type { Api, ObjectSummary } from '$lib/api';
import { locale } from '$lib/i18n';

export class ObjectNames {
  connection = $state('');
  list = $state<ObjectSummary[]>([]);
  #api: Pick<Api, 'ListObjects'>;
  #seq = 0;

  constructor(api: Pick<Api, 'ListObjects'>) {
    this.#api = api;
  }

  /** Reads connection's objects (once per connection; late answers dropped). */
  async load(connection: string): Promise<void> {
    if (!connection || connection === this.connection) return;
    const seq = ++this.#seq;
    this.connection = connection;
    this.list = [];
    const list = await this.#api.ListObjects(connection).catch(() => [] as ObjectSummary[]);
    if (seq === this.#seq) this.list = list;
  }

  /** The object's label in the UI language when its connection's objects are loaded, else its API name. */
  name = (connection: string, apiName: string): string => {
    if (!apiName || connection !== this.connection) return apiName;
    const o = this.list.find((x) => x.apiName === apiName);
    return o ? locale.label(o) : apiName;
  };
}
