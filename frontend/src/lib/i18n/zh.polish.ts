// 恢复任务、删除任务的数字、SFTP 主机密钥变更的中文文本（并入 zh.ts）。
import type { enPolish } from './en.polish';

export const zhPolish: Record<keyof typeof enPolish, string> = {
  'kind.restore': '恢复',
  'jobs.restoreOf': '来自任务 {id} 的备份',
  'jobs.del.matched': '匹配',
  'jobs.del.deleted': '已删除',
  'jobs.del.notDeleted': '未删除',
  'jobs.del.cascaded': '随之删除的明细',
  'jobs.del.cascadedShort': '另含 {n} 条明细',
  'jobs.res.inBackup': '备份中的记录',
  'jobs.res.restored': '已恢复',
  'jobs.res.notRestored': '未恢复',
  'dest.keyChanged': '此 SFTP 服务器的密钥与您接受时不同。只有在服务器管理员确认服务器已重装并提供此指纹时才接受新密钥——否则可能有人在截取连接：',
  'dest.showNewKey': '显示并接受新密钥',
  'dest.acceptNewKey': '已核对：信任新密钥',
  'dest.hostKeyChanged': '服务器返回的主机密钥（{key}）与之前接受的不同。如果服务器重装过，请与其管理员核对新密钥后再接受；否则可能有人在截取连接，请不要发送任何文件。',
};
