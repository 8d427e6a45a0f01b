import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, DeleteCommand } from '@aws-sdk/lib-dynamodb';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event) => {
  const id = event.pathParameters.id;
  await db.send(new DeleteCommand({ TableName: 'orders', Key: { id } })); // expect: CWE-862
  return { statusCode: 204 };
};
