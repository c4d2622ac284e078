export { locale, t, format, isLanguage, Locale, type Params } from './i18n.svelte';
export { en, type MessageKey } from './en';
export { zh } from './zh';
export { formatWhen, formatTime } from './dates';
