// The Objects page's data: the list of a connection's objects and the one
// described. Late answers for an earlier connection or object are dropped.
import { toAppError, type Api, type AppError, type CrmObject, type ObjectSummary } from '$lib/api';

export class ObjectsState {
  connection = $state('');
  list = $state<ObjectSummary[]>([]);
  loading = $state(false);
  error = $state<AppError | null>(null);
  selected = $state<string | null>(null);
  detail = $state<CrmObject | null>(null);
  detailLoading = $state(false);
  detailError = $state<AppError | null>(null);

  #api: Pick<Api, 'ListObjects' | 'DescribeObject'>;
  #listSeq = 0;
  #detailSeq = 0;

  constructor(api: Pick<Api, 'ListObjects' | 'DescribeObject'>) {
    this.#api = api;
  }

  async load(connection: string): Promise<void> {
    const seq = ++this.#listSeq;
    this.#detailSeq++;
    this.connection = connection;
    this.loading = true;
    this.error = null;
    this.list = [];
    this.selected = null;
    this.detail = null;
    this.detailError = null;
    this.detailLoading = false;
    try {
      const list = await this.#api.ListObjects(connection);
      if (seq !== this.#listSeq) return;
      this.list = list;
    } catch (e) {
      if (seq !== this.#listSeq) return;
      this.error = toAppError(e);
    } finally {
      if (seq === this.#listSeq) this.loading = false;
    }
  }

  async select(apiName: string): Promise<void> {
    const seq = ++this.#detailSeq;
    this.selected = apiName;
    this.detailLoading = true;
    this.detailError = null;
    try {
      const d = await this.#api.DescribeObject(this.connection, apiName);
      if (seq !== this.#detailSeq) return;
      this.detail = d;
    } catch (e) {
      if (seq !== this.#detailSeq) return;
      this.detail = null;
      this.detailError = toAppError(e);
    } finally {
      if (seq === this.#detailSeq) this.detailLoading = false;
    }
  }
}
